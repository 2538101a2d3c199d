package dev.ferry.tests.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * On the tests module's classpath (what ./ferry demo and ./ferry lab run), SLF4J users (Javalin,
 * openflowj) log into log4j2: with no provider SLF4J prints "no providers" and Javalin its
 * "no logger" banner, and their messages are lost.
 */
class LoggingRouteTest {

  @Test
  void slf4jLogsIntoLog4j2() {
    assertEquals("org.apache.logging.slf4j.Log4jLoggerFactory", LoggerFactory.getILoggerFactory().getClass().getName());
  }
}
