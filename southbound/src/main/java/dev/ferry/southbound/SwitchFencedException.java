package dev.ferry.southbound;

/**
 * A message that would change the switch's state was refused because the handle is fenced:
 * this controller does not (or no longer) hold the switch's MASTER role.
 */
public final class SwitchFencedException extends RuntimeException {
  public SwitchFencedException(String message) {
    super(message);
  }
}
