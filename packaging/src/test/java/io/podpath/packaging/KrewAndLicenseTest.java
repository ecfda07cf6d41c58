package io.podpath.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The krew manifest installs what the launcher needs (paths that exist in the release layout), and
 * the licence the images claim is the one in the repository.
 */
class KrewAndLicenseTest {
  @Test
  void theKrewManifestIsAPluginWhoseFilesExist() throws IOException {
    String krew = Files.readString(Chart.ROOT.resolve(".krew.yaml"));
    assertThat(krew)
        .contains("apiVersion: krew.googlecontainertools.github.com/v1alpha2")
        .contains("kind: Plugin")
        .contains("name: podpath")
        .contains("bin: bin/podpath");
    List<String> from = new ArrayList<>();
    Matcher m = Pattern.compile("from: \"([^\"]+)\"").matcher(krew);
    while (m.find()) {
      from.add(m.group(1));
    }
    assertThat(from).contains("bin/podpath", "LICENSE", "aggregator/target/podpath.jar");
    for (String f : from) {
      if (!f.contains("target/")) {
        assertThat(Chart.ROOT.resolve(f)).as(f).exists();
      }
    }
    assertThat(Files.isExecutable(Chart.ROOT.resolve("bin/podpath"))).isTrue();
  }

  @Test
  void theImagesLicenceIsTheRepositorysLicenseFile() throws IOException {
    assertThat(Files.readString(Chart.ROOT.resolve("LICENSE")))
        .contains("Apache License")
        .contains("Version 2.0, January 2004");
    for (String d : List.of("Dockerfile.agent", "Dockerfile.aggregator")) {
      assertThat(Files.readString(Chart.ROOT.resolve(d)))
          .as(d)
          .contains("org.opencontainers.image.licenses=\"Apache-2.0\"");
    }
  }
}
