package io.podpath.agent.trace;

/**
 * One place the packet's size was checked against an MTU: {@code size} is the packet's IP total
 * length, {@code overhead} what encapsulation adds there (0 when none), {@code text} the arithmetic
 * in words ("1472 + 58 Geneve > 1500 on node1 br-phy").
 */
public record SizeCheck(String where, int size, int overhead, int mtu, boolean fits, String text) {}
