package org.weir.session.internal;

import org.osgi.service.component.annotations.Component;
import org.weir.core.SessionOptions;
import org.weir.core.SessionTable;
import org.weir.core.SessionTableFactory;

/** DS service: session tables with Zeek's conn.log semantics (default scripts loaded, not bare mode). */
@Component(service = SessionTableFactory.class)
public final class ZeekSessionTableFactory implements SessionTableFactory {

    @Override
    public SessionTable create(SessionOptions options) {
        return new FlowTable(options);
    }
}
