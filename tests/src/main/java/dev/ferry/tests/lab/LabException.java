package dev.ferry.tests.lab;

/** A lab step failed: a command exited non-zero, timed out, or the machine lacks something. */
public final class LabException extends RuntimeException {
    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
