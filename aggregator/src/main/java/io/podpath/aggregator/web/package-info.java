/**
 * The web page: a form that becomes a trace request, served by Vert.x behind the same guard as the
 * API.
 *
 * <p>Null-marked: NullAway checks it in every build.
 */
@NullMarked
package io.podpath.aggregator.web;

import org.jspecify.annotations.NullMarked;
