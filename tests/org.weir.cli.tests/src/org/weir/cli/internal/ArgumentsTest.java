package org.weir.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ArgumentsTest {

    private static List<String> read(String... argv) throws UsageException {
        Arguments args = new Arguments(List.of(argv));
        List<String> seen = new ArrayList<>();
        for (String o; (o = args.nextOption()) != null;) {
            if (o.equals("-r")) {
                args.addOperand(args.value(o));
            }
            seen.add(o.equals("--conn-log") ? o + "=" + args.value(o) : o);
        }
        seen.add("operands " + args.operands());
        return seen;
    }

    @Test
    void groupedSingleLetterFlagsAreReadOneByOne() throws UsageException {
        assertEquals(List.of("-b", "-C", "-q", "--conn-log=out.log", "-C", "operands [a.pcap, b.pcap]"),
                read("a.pcap", "-bCq", "--conn-log", "out.log", "-C", "b.pcap"));
    }

    @Test
    void longOptionsValuesAndOperandsStayWhole() throws UsageException {
        assertEquals(List.of("--no-detectors", "--conn-log=-", "operands [-, -xy]"),
                read("--no-detectors", "--conn-log=-", "-", "--", "-xy"));
    }

    @Test
    void capturesNamedByAnOptionKeepTheirPlaceAmongTheOperands() throws UsageException {
        assertEquals(List.of("-r", "-C", "-r", "operands [a.pcap, b.pcap, c.pcap]"),
                read("-r", "a.pcap", "b.pcap", "-Cr", "c.pcap"));
    }
}
