/**
 * Alerting on sweep results: the pure per-(node, check) state machine, its persisted state, and the
 * sinks (Alertmanager, webhook, node conditions and events) that deliver notifications.
 *
 * <p>Null-marked: NullAway checks it in every build.
 */
@NullMarked
package io.podpath.aggregator.alert;

import org.jspecify.annotations.NullMarked;
