package io.podpath.aggregator.inventory;

import java.util.Objects;

/** A namespaced Kubernetes object by namespace and name. */
public record ObjectRef(String namespace, String name) {
  public ObjectRef {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
