package dev.ferry.southbound.channel;

import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFConfigFlags;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;

/**
 * The life of one switch connection, one method per message kind. Every state must say what an
 * ERROR means to it ({@link #processError} is abstract); ECHO_REQUEST is answered the same way
 * in every state, so it lives in the base. Ferry deletes nothing on connect: the reconciler
 * alone decides which flows go.
 */
public enum HandshakeState {
  /** Our HELLO is out; waiting for the switch's HELLO to agree on OpenFlow 1.3. */
  WAIT_HELLO {
    @Override
    void processHello(SwitchChannelHandler h, OFHello hello) {
      if (!VersionNegotiation.agreesOnOurs(hello)) {
        h.rejectVersion(hello);
        return;
      }
      h.write(h.factory().buildFeaturesRequest().setXid(h.nextXid()).build());
      h.setState(WAIT_FEATURES_REPLY);
    }

    @Override
    void processError(SwitchChannelHandler h, OFErrorMsg error) {
      h.closeWithError("rejected our HELLO", error);
    }
  },

  /** Waiting for FEATURES_REPLY, which names the datapath. */
  WAIT_FEATURES_REPLY {
    @Override
    void processFeaturesReply(SwitchChannelHandler h, OFFeaturesReply reply) {
      h.setDatapathId(reply.getDatapathId().getLong());
      if (!h.admitIdentity()) {
        return;
      }
      h.setPortDescXid(h.nextXid());
      h.write(h.factory().buildPortDescStatsRequest().setXid(h.portDescXid()).build());
      h.setState(WAIT_PORT_DESC);
    }

    @Override
    void processError(SwitchChannelHandler h, OFErrorMsg error) {
      h.closeWithError("rejected FEATURES_REQUEST", error);
    }
  },

  /** Collecting the PORT_DESC multipart reply (possibly several parts). */
  WAIT_PORT_DESC {
    @Override
    void processStatsReply(SwitchChannelHandler h, OFStatsReply reply) {
      if (!(reply instanceof OFPortDescStatsReply portDesc) || reply.getXid() != h.portDescXid()) {
        h.logUnexpected(this, reply);
        return;
      }
      portDesc.getEntries().forEach(h::putHandshakePort);
      if (h.state() == CLOSING) { // too many ports
        return;
      }
      if (!reply.getFlags().contains(OFStatsReplyFlags.REPLY_MORE)) {
        h.write(h.factory().buildSetConfig()
            .setXid(h.nextXid())
            .setFlags(Set.of(OFConfigFlags.FRAG_NORMAL))
            .setMissSendLen(SwitchChannelHandler.MISS_SEND_LEN_NO_BUFFER)
            .build());
        h.setConfigBarrierXid(h.nextXid());
        h.write(h.factory().buildBarrierRequest().setXid(h.configBarrierXid()).build());
        h.setState(WAIT_CONFIG_BARRIER);
      }
    }

    @Override
    void processPortStatus(SwitchChannelHandler h, OFPortStatus status) {
      h.applyHandshakePortStatus(status);
    }

    @Override
    void processError(SwitchChannelHandler h, OFErrorMsg error) {
      h.closeWithError("rejected PORT_DESC request", error);
    }
  },

  /** SET_CONFIG sent with a barrier behind it; the barrier reply means it took effect. */
  WAIT_CONFIG_BARRIER {
    @Override
    void processBarrierReply(SwitchChannelHandler h, OFBarrierReply reply) {
      if (reply.getXid() != h.configBarrierXid()) {
        h.logUnexpected(this, reply);
        return;
      }
      h.setState(READY);
      h.becomeReady(); // or CLOSING, when a live connection holds the dpid
    }

    @Override
    void processPortStatus(SwitchChannelHandler h, OFPortStatus status) {
      h.applyHandshakePortStatus(status);
    }

    @Override
    void processError(SwitchChannelHandler h, OFErrorMsg error) {
      h.closeWithError("rejected SET_CONFIG", error);
    }
  },

  /** Handshake done: replies go to their requests, events to the listeners. */
  READY {
    @Override
    void processError(SwitchChannelHandler h, OFErrorMsg error) {
      h.connection().onError(error);
    }

    @Override
    void processStatsReply(SwitchChannelHandler h, OFStatsReply reply) {
      h.connection().onStatsReply(reply, h.lastFrameLength());
    }

    @Override
    void processBarrierReply(SwitchChannelHandler h, OFBarrierReply reply) {
      h.connection().onBarrierReply(reply.getXid());
    }

    @Override
    void processPortStatus(SwitchChannelHandler h, OFPortStatus status) {
      h.portChanged(h.connection().onPortStatus(status), status.getReason());
    }

    @Override
    void processPacketIn(SwitchChannelHandler h, OFPacketIn packetIn) {
      h.packetIn(packetIn);
    }

    @Override
    void processRoleReply(SwitchChannelHandler h, org.projectfloodlight.openflow.protocol.OFRoleReply reply) {
      h.connection().onRoleReply(reply);
    }
  },

  /** The channel is closing (version mismatch, error, timeout): ignore whatever still arrives. */
  CLOSING {
    @Override
    void processError(SwitchChannelHandler h, OFErrorMsg error) {
      h.logUnexpected(this, error);
    }

    @Override
    void processEchoRequest(SwitchChannelHandler h, OFEchoRequest echo) {
      // The connection is going away; keeping it alive would only delay that.
    }
  };

  abstract void processError(SwitchChannelHandler h, OFErrorMsg error);

  void processEchoRequest(SwitchChannelHandler h, OFEchoRequest echo) {
    h.write(h.factoryFor(echo).buildEchoReply().setXid(echo.getXid()).setData(echo.getData())
        .build());
  }

  void processHello(SwitchChannelHandler h, OFHello hello) {
    h.logUnexpected(this, hello);
  }

  void processFeaturesReply(SwitchChannelHandler h, OFFeaturesReply reply) {
    h.logUnexpected(this, reply);
  }

  void processStatsReply(SwitchChannelHandler h, OFStatsReply reply) {
    h.logUnexpected(this, reply);
  }

  void processBarrierReply(SwitchChannelHandler h, OFBarrierReply reply) {
    h.logUnexpected(this, reply);
  }

  /** Before the port map exists there is nothing to update: PORT_DESC will bring the truth. */
  void processPortStatus(SwitchChannelHandler h, OFPortStatus status) {
    h.logUnexpected(this, status);
  }

  /** No packet-in is meaningful before listeners know the switch. */
  void processPacketIn(SwitchChannelHandler h, OFPacketIn packetIn) {
    h.logUnexpected(this, packetIn);
  }

  void processRoleReply(SwitchChannelHandler h, org.projectfloodlight.openflow.protocol.OFRoleReply reply) {
    h.logUnexpected(this, reply);
  }

  void processOther(SwitchChannelHandler h, OFMessage message) {
    h.logUnexpected(this, message);
  }
}
