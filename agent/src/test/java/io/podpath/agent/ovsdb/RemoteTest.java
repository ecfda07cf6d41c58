package io.podpath.agent.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podpath.agent.errors.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class RemoteTest {
  @Test
  void parsesOvsRemoteNotation() {
    assertThat(Remote.parse("unix:/run/ovn/ovnsb_db.sock").toString())
        .isEqualTo("unix:/run/ovn/ovnsb_db.sock");
    assertThat(Remote.parse("tcp:172.31.2.2:6642").toString()).isEqualTo("tcp:172.31.2.2:6642");
    assertThat(Remote.parse("tcp:[fd00::2]:6642").toString()).isEqualTo("tcp:[fd00::2]:6642");
    assertThat(Remote.firstSupported("ssl:1.2.3.4:6642, tcp:1.2.3.5:6642"))
        .map(Remote::toString)
        .hasValue("tcp:1.2.3.5:6642");
  }

  @Test
  void rejectsHostNamesBadPortsAndSsl() {
    assertThatThrownBy(() -> Remote.parse("tcp:example.com:6642"))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Remote.parse("tcp:1.2.3.4:0"))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Remote.parse("ssl:1.2.3.4:6642"))
        .isInstanceOf(InvalidArgumentException.class);
  }
}
