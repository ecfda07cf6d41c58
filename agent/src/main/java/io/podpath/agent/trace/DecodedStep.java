package io.podpath.agent.trace;

import io.podpath.agent.ovn.LogicalFlowInfo;
import java.util.Optional;

/** A table lookup with the OVN logical flow its cookie points to (when the node runs OVN). */
public record DecodedStep(TraceStep step, Optional<LogicalFlowInfo> logicalFlow) {}
