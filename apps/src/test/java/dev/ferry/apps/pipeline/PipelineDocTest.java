package dev.ferry.apps.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/pipeline.md is generated from the Table enum; this keeps the two in step. */
class PipelineDocTest {
  private static final Path DOC = Path.of("../docs/pipeline.md");

  @Test
  void docsPipelineMdIsUpToDate() throws IOException {
    String generated = PipelineDoc.markdown();
    if (Boolean.getBoolean("ferry.golden.update")) {
      Files.createDirectories(DOC.getParent());
      Files.writeString(DOC, generated, StandardCharsets.UTF_8);
    }
    assertEquals(generated, Files.readString(DOC, StandardCharsets.UTF_8),
        "docs/pipeline.md is stale: rerun with -Dferry.golden.update=true");
  }
}
