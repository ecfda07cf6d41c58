package io.podpath.agent.live;

import java.util.List;

/**
 * A classic BPF interpreter for the instructions {@link BpfFilter} emits, with the kernel's
 * semantics (an out-of-bounds load rejects the frame), so the program is tested on frames.
 */
final class ClassicBpf {
  private ClassicBpf() {}

  static int run(List<BpfFilter.Insn> prog, byte[] f) {
    int a = 0;
    int x = 0;
    for (int pc = 0; pc < prog.size(); pc++) {
      BpfFilter.Insn i = prog.get(pc);
      switch (i.code()) {
        case 0x28 -> a = ld(f, i.k(), 2);
        case 0x30 -> a = ld(f, i.k(), 1);
        case 0x20 -> a = ld(f, i.k(), 4);
        case 0x48 -> a = ld(f, x + i.k(), 2);
        case 0x50 -> a = ld(f, x + i.k(), 1);
        case 0x40 -> a = ld(f, x + i.k(), 4);
        case 0x87 -> a = x;
        case 0x04 -> a += i.k();
        case 0x01 -> {
          x = i.k();
          continue;
        }
        case 0xb1 -> {
          int b = ld(f, i.k(), 1);
          if (b < 0) {
            return 0;
          }
          x = (b & 0xf) * 4;
          continue;
        }
        case 0x15 -> {
          pc += a == i.k() ? i.jt() : i.jf();
          continue;
        }
        case 0x45 -> {
          pc += (a & i.k()) != 0 ? i.jt() : i.jf();
          continue;
        }
        case 0x54 -> a &= i.k();
        case 0x64 -> a <<= i.k();
        case 0x0c -> a += x;
        case 0x07 -> {
          x = a;
          continue;
        }
        case 0x06 -> {
          return i.k();
        }
        default -> throw new IllegalStateException("opcode " + i.code());
      }
      if (a == Integer.MIN_VALUE) {
        return 0; // out-of-bounds load: the kernel drops the frame
      }
    }
    throw new IllegalStateException("fell off the program");
  }

  private static int ld(byte[] f, int at, int n) {
    if (at < 0 || at + n > f.length) {
      return Integer.MIN_VALUE;
    }
    int v = 0;
    for (int j = 0; j < n; j++) {
      v = (v << 8) | (f[at + j] & 0xff);
    }
    return v;
  }
}
