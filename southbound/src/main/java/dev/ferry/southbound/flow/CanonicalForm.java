package dev.ferry.southbound.flow;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFMatchV3;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionWriteActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionWriteMetadata;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * Canonical text of matches, instructions and buckets, so that what Ferry built and what the
 * switch reports back compare equal when they mean the same thing. Pure functions.
 *
 * <p>Rules (each seen with OVS 3.1 or required by OpenFlow 1.3 semantics):
 * <ul>
 *   <li>match fields are compared as a set: order is irrelevant;
 *   <li>a masked field whose mask is all ones is the exact field; an all-zero mask is no field;
 *   <li>a masked value keeps only the bits under its mask (OVS stores value &amp; mask);
 *   <li>instructions are compared in OpenFlow's execution order, not list order;
 *   <li>an empty apply-actions / write-actions instruction is a no-op and is dropped;
 *   <li>output max_len only matters for output to CONTROLLER; elsewhere it is treated as 0;
 *   <li>write_metadata keeps only the value bits under its mask;
 *   <li>bucket weight matters only in SELECT groups, watch port/group only in FAST_FAILOVER.
 * </ul>
 */
public final class CanonicalForm {
  private CanonicalForm() {}

  /** The match as a sorted, normalized list of "field=value[/mask]" terms. */
  public static String match(Match match) {
    if (!(match instanceof OFMatchV3 oxmMatch)) {
      throw new IllegalArgumentException("OpenFlow 1.3 (OXM) match expected: " + match);
    }
    List<String> terms = new ArrayList<>();
    for (OFOxm<?> oxm : oxmMatch.getOxmList()) {
      String term = oxm(oxm);
      if (term != null) {
        terms.add(term);
      }
    }
    terms.sort(Comparator.naturalOrder());
    return String.join(",", terms);
  }

  /** Instructions in execution order, each in canonical text; no-op instructions dropped. */
  public static String instructions(List<OFInstruction> instructions) {
    return instructions.stream()
        .filter(i -> !isNoop(i))
        .sorted(Comparator.comparingInt(CanonicalForm::executionOrder))
        .map(CanonicalForm::instruction)
        .reduce((a, b) -> a + " " + b)
        .orElse("drop");
  }

  public static String actions(List<OFAction> actions) {
    return actions.stream().map(CanonicalForm::action).reduce((a, b) -> a + "," + b).orElse("");
  }

  public static String buckets(OFGroupType type, List<OFBucket> buckets) {
    List<String> terms = new ArrayList<>();
    for (OFBucket bucket : buckets) {
      String prefix = switch (type) {
        case SELECT -> "weight=" + bucket.getWeight() + ":";
        case FF -> "watch=" + bucket.getWatchPort() + "/" + bucket.getWatchGroup() + ":";
        default -> "";
      };
      terms.add(prefix + actions(bucket.getActions()));
    }
    return type + "[" + String.join(" | ", terms) + "]";
  }

  private static String instruction(OFInstruction instruction) {
    if (instruction instanceof OFInstructionApplyActions apply) {
      return "apply(" + actions(apply.getActions()) + ")";
    }
    if (instruction instanceof OFInstructionWriteActions write) {
      return "write(" + actions(write.getActions()) + ")";
    }
    if (instruction instanceof OFInstructionWriteMetadata metadata) {
      U64 mask = metadata.getMetadataMask();
      return "write_metadata(" + metadata.getMetadata().applyMask(mask) + "/" + mask + ")";
    }
    return instruction.getType() + "(" + hex(instruction::writeTo) + ")";
  }

  private static boolean isNoop(OFInstruction instruction) {
    return (instruction instanceof OFInstructionApplyActions apply && apply.getActions().isEmpty())
        || (instruction instanceof OFInstructionWriteActions write && write.getActions().isEmpty());
  }

  /** OpenFlow 1.3 section 5.9: meter, apply, clear, write, write-metadata, goto. */
  private static int executionOrder(OFInstruction instruction) {
    return switch (instruction.getType()) {
      case METER -> 0;
      case APPLY_ACTIONS -> 1;
      case CLEAR_ACTIONS -> 2;
      case WRITE_ACTIONS -> 3;
      case WRITE_METADATA -> 4;
      case GOTO_TABLE -> 5;
      default -> 6;
    };
  }

  private static String action(OFAction action) {
    if (action instanceof OFActionOutput output) {
      boolean toController = output.getPort().equals(OFPort.CONTROLLER);
      return "output:" + output.getPort() + (toController ? ":" + output.getMaxLen() : "");
    }
    if (action instanceof OFActionSetField setField) {
      return "set_field:" + oxm(setField.getField());
    }
    if (action instanceof dev.ferry.southbound.nicira.NiciraAction nx) {
      return nx.digest();
    }
    if (action instanceof org.projectfloodlight.openflow.protocol.action.OFActionBsnChecksum standIn) {
      return dev.ferry.southbound.nicira.NiciraStandIns.digestOf(standIn);
    }
    return action.getType() + "(" + hex(action::writeTo) + ")";
  }

  /** One OXM as "name=valuehex[/maskhex]", or null if its mask matches everything. */
  static String oxm(OFOxm<?> oxm) {
    ByteBuf buf = Unpooled.buffer();
    try {
      oxm.writeTo(buf);
      int header = buf.getInt(0);
      boolean hasMask = (header & 0x100) != 0;
      int payload = header & 0xFF;
      int experimenter = (header >>> 16) == 0xFFFF ? 4 : 0;
      int valueLength = hasMask ? (payload - experimenter) / 2 : payload - experimenter;
      byte[] value = new byte[valueLength];
      buf.getBytes(4 + experimenter, value);
      String name = oxm.getMatchField().getName();
      if (!hasMask) {
        return name + "=" + ByteBufUtil.hexDump(value);
      }
      byte[] mask = new byte[valueLength];
      buf.getBytes(4 + experimenter + valueLength, mask);
      return maskedTerm(name, value, mask);
    } finally {
      buf.release();
    }
  }

  private static String maskedTerm(String name, byte[] value, byte[] mask) {
    boolean allOnes = true;
    boolean allZeros = true;
    for (int i = 0; i < mask.length; i++) {
      allOnes &= mask[i] == (byte) 0xFF;
      allZeros &= mask[i] == 0;
      value[i] &= mask[i];
    }
    if (allZeros) {
      return null;
    }
    String text = name + "=" + ByteBufUtil.hexDump(value);
    return allOnes ? text : text + "/" + ByteBufUtil.hexDump(mask);
  }

  private interface Writer {
    void writeTo(ByteBuf buf);
  }

  private static String hex(Writer writer) {
    ByteBuf buf = Unpooled.buffer();
    try {
      writer.writeTo(buf);
      return ByteBufUtil.hexDump(buf);
    } finally {
      buf.release();
    }
  }
}
