package io.podpath.testkit;

/** How the sandbox wires its nodes: OVN-Kubernetes style, or plain OVS with static flows. */
public enum Mode {
  OVN("ovn"),
  OVS("ovs");

  private final String cliName;

  Mode(String cliName) {
    this.cliName = cliName;
  }

  /** The value of {@code hack/sandbox up --mode}. */
  public String cliName() {
    return cliName;
  }

  static Mode fromCli(String name) {
    for (Mode m : values()) {
      if (m.cliName.equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown sandbox mode: " + name);
  }
}
