package io.podpath.aggregator.model;

/** One Geneve option as it left a node; {@code valueHex} is the option's data in hex. */
public record TunnelOption(int optionClass, int type, String valueHex) {}
