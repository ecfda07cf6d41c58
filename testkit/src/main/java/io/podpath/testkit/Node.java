package io.podpath.testkit;

import java.nio.file.Path;

/**
 * A sandbox node: a network namespace running its own ovsdb-server, ovs-vswitchd (and
 * ovn-controller).
 */
public record Node(
    String name, String ip, String netns, Path ovsRundir, Path ovnRundir, String podSubnet) {}
