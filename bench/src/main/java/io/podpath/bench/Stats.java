package io.podpath.bench;

import java.util.Arrays;
import java.util.List;

/** Median, min and max of a sample (the report recomputes them from the raw CSV). */
public record Stats(double median, double min, double max, int n) {
  public static Stats of(List<Double> xs) {
    if (xs.isEmpty()) {
      return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    int n = a.length;
    double med = n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    return new Stats(med, a[0], a[n - 1], n);
  }
}
