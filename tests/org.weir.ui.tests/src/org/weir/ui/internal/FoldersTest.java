package org.weir.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weir.ui.Folders;

class FoldersTest {

    @Test
    void aFileNamesItsFolderAndAFolderItself(@TempDir Path tmp) throws IOException {
        Path capture = Files.createFile(tmp.resolve("trace.pcap"));
        assertEquals(tmp.toAbsolutePath(), Folders.of(capture.toString()));
        assertEquals(tmp.toAbsolutePath(), Folders.of(" " + tmp + " "));
        assertEquals(tmp.toAbsolutePath(), Folders.of(tmp.resolve("not yet written.pcap").toString()),
                "a file to be made names the folder it goes in");
    }

    @Test
    void whatNamesNoFolderGivesNone(@TempDir Path tmp) {
        assertNull(Folders.of(null));
        assertNull(Folders.of("  "));
        assertNull(Folders.of(tmp.resolve("gone/trace.pcap").toString()));
        assertNull(Folders.of("trace\0.pcap"), "not a path");
    }
}
