package org.weir.filter.internal;

import java.util.List;

import org.weir.core.LocalNetworks;
import org.weir.filter.FilterField;
import org.weir.filter.FilterSyntaxException;

/** The entry into the language's implementation for {@link org.weir.filter.SessionFilter}. */
public final class Compiler {

    /** The catalogue with Zeek's default local networks (the private address space): most filters use it. */
    private static final Fields DEFAULT_FIELDS = new Fields(LocalNetworks.privateAddressSpace());

    private Compiler() {
    }

    /**
     * @param local the local networks, or null for the private address space
     */
    public static Compiled compile(String expression, LocalNetworks local) throws FilterSyntaxException {
        return Parser.parse(local == null ? DEFAULT_FIELDS : new Fields(local), expression);
    }

    public static List<FilterField> fields() {
        return DEFAULT_FIELDS.all().stream().map(f -> new FilterField(f.name, f.kind.label, f.description)).toList();
    }
}
