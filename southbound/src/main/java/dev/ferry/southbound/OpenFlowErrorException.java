package dev.ferry.southbound;

import java.util.List;
import java.util.Optional;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFMessage;

/** A switch rejected one or more messages of a request; carries the decoded errors. */
public final class OpenFlowErrorException extends RuntimeException {
  /** One rejection: the switch's error and the message it refers to (if we still know it). */
  public record Rejection(OFErrorMsg error, Optional<OFMessage> rejected) {}

  private final List<Rejection> rejections;

  public OpenFlowErrorException(String dpid, List<Rejection> rejections) {
    super("dpid " + dpid + ": switch rejected " + rejections.size() + " message(s), first: "
        + rejections.get(0).error());
    this.rejections = List.copyOf(rejections);
  }

  /** The first error, as the switch sent it. */
  public OFErrorMsg errorMsg() {
    return rejections.get(0).error();
  }

  public List<Rejection> rejections() {
    return rejections;
  }
}
