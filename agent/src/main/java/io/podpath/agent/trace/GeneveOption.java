package io.podpath.agent.trace;

import io.podpath.agent.errors.InvalidArgumentException;
import java.util.Arrays;
import java.util.HexFormat;

/** One Geneve TLV option (class 16 bits, type 8 bits, value a multiple of 4 bytes up to 124). */
@SuppressWarnings("ArrayRecordComponent") // equals, hashCode and the accessor are by content
public record GeneveOption(int optionClass, int type, byte[] value) {
  /** OVN's option: class 0x102, type 0x80, 4 bytes = logical inport << 16 | outport. */
  public static final int OVN_CLASS = 0x102;

  public static final int OVN_TYPE = 0x80;

  public GeneveOption {
    if (optionClass < 0 || optionClass > 0xFFFF) {
      throw new InvalidArgumentException("geneve_options.option_class", "must fit in 16 bits");
    }
    if (type < 0 || type > 0xFF) {
      throw new InvalidArgumentException("geneve_options.type", "must fit in 8 bits");
    }
    if (value == null || value.length == 0 || value.length % 4 != 0 || value.length > 124) {
      throw new InvalidArgumentException(
          "geneve_options.value", "must be 4 to 124 bytes, a multiple of 4");
    }
    value = value.clone();
  }

  public static GeneveOption ovn(long metadata) {
    byte[] v = new byte[4];
    for (int i = 0; i < 4; i++) {
      v[i] = (byte) (metadata >>> (24 - 8 * i));
    }
    return new GeneveOption(OVN_CLASS, OVN_TYPE, v);
  }

  public boolean isOvn() {
    return optionClass == OVN_CLASS && type == OVN_TYPE && value.length == 4;
  }

  /** The value as an unsigned number (for OVN's 4-byte option). */
  public long valueAsLong() {
    long v = 0;
    for (byte b : value) {
      v = (v << 8) | (b & 0xFF);
    }
    return v;
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GeneveOption g
        && g.optionClass == optionClass
        && g.type == type
        && Arrays.equals(g.value, value);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * optionClass + type) + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return String.format(
        "{class=0x%x,type=0x%x,len=%d,0x%s}",
        optionClass, type, value.length, HexFormat.of().formatHex(value));
  }
}
