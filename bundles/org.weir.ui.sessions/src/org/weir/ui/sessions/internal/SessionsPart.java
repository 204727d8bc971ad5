package org.weir.ui.sessions.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.core.commands.ParameterizedCommand;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.commands.ECommandService;
import org.eclipse.e4.core.commands.EHandlerService;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.nebula.widgets.nattable.NatTable;
import org.eclipse.nebula.widgets.nattable.config.AbstractRegistryConfiguration;
import org.eclipse.nebula.widgets.nattable.config.AbstractUiBindingConfiguration;
import org.eclipse.nebula.widgets.nattable.config.CellConfigAttributes;
import org.eclipse.nebula.widgets.nattable.config.DefaultNatTableStyleConfiguration;
import org.eclipse.nebula.widgets.nattable.config.IConfigRegistry;
import org.eclipse.nebula.widgets.nattable.coordinate.PositionCoordinate;
import org.eclipse.nebula.widgets.nattable.data.IDataProvider;
import org.eclipse.nebula.widgets.nattable.grid.data.DefaultColumnHeaderDataProvider;
import org.eclipse.nebula.widgets.nattable.grid.data.DefaultCornerDataProvider;
import org.eclipse.nebula.widgets.nattable.grid.GridRegion;
import org.eclipse.nebula.widgets.nattable.grid.data.DefaultRowHeaderDataProvider;
import org.eclipse.nebula.widgets.nattable.grid.layer.ColumnHeaderLayer;
import org.eclipse.nebula.widgets.nattable.grid.layer.CornerLayer;
import org.eclipse.nebula.widgets.nattable.grid.layer.GridLayer;
import org.eclipse.nebula.widgets.nattable.grid.layer.RowHeaderLayer;
import org.eclipse.nebula.widgets.nattable.hideshow.ColumnHideShowLayer;
import org.eclipse.nebula.widgets.nattable.layer.DataLayer;
import org.eclipse.nebula.widgets.nattable.layer.LayerUtil;
import org.eclipse.nebula.widgets.nattable.layer.LabelStack;
import org.eclipse.nebula.widgets.nattable.layer.cell.ColumnOverrideLabelAccumulator;
import org.eclipse.nebula.widgets.nattable.layer.event.RowStructuralRefreshEvent;
import org.eclipse.nebula.widgets.nattable.reorder.ColumnReorderLayer;
import org.eclipse.nebula.widgets.nattable.reorder.event.ColumnReorderEvent;
import org.eclipse.nebula.widgets.nattable.resize.event.ColumnResizeEvent;
import org.eclipse.nebula.widgets.nattable.selection.SelectionLayer;
import org.eclipse.nebula.widgets.nattable.selection.command.SelectRowsCommand;
import org.eclipse.nebula.widgets.nattable.selection.config.DefaultSelectionStyleConfiguration;
import org.eclipse.nebula.widgets.nattable.sort.SortDirectionEnum;
import org.eclipse.nebula.widgets.nattable.sort.SortHeaderLayer;
import org.eclipse.nebula.widgets.nattable.sort.config.SingleClickSortConfiguration;
import org.eclipse.nebula.widgets.nattable.style.CellStyleAttributes;
import org.eclipse.nebula.widgets.nattable.style.DisplayMode;
import org.eclipse.nebula.widgets.nattable.style.HorizontalAlignmentEnum;
import org.eclipse.nebula.widgets.nattable.style.Style;
import org.eclipse.nebula.widgets.nattable.ui.binding.UiBindingRegistry;
import org.eclipse.nebula.widgets.nattable.ui.matcher.KeyEventMatcher;
import org.eclipse.nebula.widgets.nattable.ui.matcher.MouseEventMatcher;
import org.eclipse.nebula.widgets.nattable.ui.menu.PopupMenuAction;
import org.eclipse.nebula.widgets.nattable.util.GUIHelper;
import org.eclipse.nebula.widgets.nattable.viewport.ViewportLayer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.MessageBox;
import org.eclipse.swt.widgets.Shell;
import org.weir.core.Session;
import org.weir.exchange.ConnColumns;
import org.weir.filter.SessionFilter;
import org.weir.ui.CaptureModel;
import org.weir.ui.CaptureModel.Snapshot;
import org.weir.ui.WorkbenchJob;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * The Sessions view: every session of the open capture in a virtual NatTable with Zeek's conn.log columns, under a
 * display filter bar ({@link FilterBar}, Wireshark's language over conn.log's fields: {@link SessionFilter}). Clicking
 * a column header sorts by it (again: descending, a third time: capture order); filtering and sorting run in a
 * background job over the indexes of the snapshot's sessions, and the table swaps arrays when it is done. A cell's menu
 * applies its value as a filter, as Wireshark's "Apply as Filter" does, or copies it; the tool tip over a conn_state or
 * history cell spells out Zeek's codes ({@link CellExplanation}); Ctrl+C copies the selected rows as text ({@link
 * SessionCopy}), in a job that shows its progress in the status line and can be cancelled there, since a million rows
 * take seconds (NatTable's own copy held the UI thread half a minute for them, and took 11 GB). The column headers'
 * context menu chooses how the ts column shows time ({@link TimeDisplay}) and which optional column groups are shown;
 * those choices, the columns' order and widths as dragged, and the filters applied lately outlive the run ({@link
 * ViewSettings}).
 */
public final class SessionsPart implements CaptureModel.Listener {

    /** Widget data key/value naming the table, for UI tests and accessibility tools. */
    public static final String WIDGET_ID = "org.weir.ui.widget";
    public static final String TABLE_ID = "sessionsTable";
    /** Widget data key under which the table holds its column headers' menu, for UI tests. */
    public static final String HEADER_MENU = "org.weir.ui.sessions.headerMenu";
    /** Widget data key under which the table holds its cells' menu ("Apply as Filter"), for UI tests. */
    public static final String CELL_MENU = "org.weir.ui.sessions.cellMenu";
    /** The command of File › Export Packets of Selected Sessions… ({@link ExportPacketsHandler}). */
    static final String EXPORT_PACKETS_COMMAND = "org.weir.ui.sessions.command.exportPackets";
    static final String FOLLOW_STREAM_COMMAND = "org.weir.ui.sessions.command.followStream";

    private static final String NUMBER_LABEL = "WEIR_NUMBER";
    /** The column headers' menu's names for the optional groups: {@code --conn-columns}' names and what they hold. */
    private static final Map<ConnColumns, String> GROUP_LABELS = Map.of(ConnColumns.VLAN, "vlan (VLAN ids)",
            ConnColumns.L2, "l2 (MAC addresses)", ConnColumns.COMMUNITY_ID, "community_id",
            ConnColumns.GEO, "geo (country, city and AS of both ends)", ConnColumns.NAMES, "names (domains)",
            ConnColumns.INTEL, "intel (MAC vendors, port service and CVEs, tags, whitelist verdict)");

    @Inject
    private CaptureModel model;
    @Inject
    private ECommandService commands;
    @Inject
    private EHandlerService handlers;

    private final SessionsDataProvider data = new SessionsDataProvider();
    private final ViewSettings settings = new ViewSettings();
    private final AtomicLong generation = new AtomicLong();
    private SessionsSortModel sortModel;
    private DataLayer bodyData;
    private SelectionLayer selection;
    private SessionSelection selectionModel;
    private ColumnReorderLayer columnReorder;
    private ColumnHideShowLayer columnHideShow;
    /** Each column's width until a person changes it: its own, or its title's if wider. */
    private int[] defaultWidths;
    private EnumSet<ConnColumns> shownGroups = EnumSet.noneOf(ConnColumns.class);
    private NatTable table;
    private FilterBar filterBar;
    private List<Path> captures = List.of();
    /** The cell menu's item, enabled once the row clicked is selected. */
    private MenuItem exportPacketsItem;
    private MenuItem followStreamItem;
    private List<Session> shown;
    private Session[] base = new Session[0];

    @PostConstruct
    void create(Composite parent) {
        GridLayout layout = new GridLayout(1, false);
        layout.marginWidth = 0;
        layout.marginHeight = 0;
        layout.verticalSpacing = 0;
        parent.setLayout(layout);
        filterBar = new FilterBar(parent, settings.filterHistory(), f -> {
            settings.setFilterHistory(filterBar.history());
            refresh();
        });
        sortModel = new SessionsSortModel((column, direction) -> refresh()); // the model holds both when it calls

        bodyData = new DataLayer(data, 100, 20);
        defaultWidths = titleWidths(parent);
        for (SessionColumn c : SessionColumn.ALL) {
            defaultWidths[c.ordinal()] = Math.max(c.width, defaultWidths[c.ordinal()]);
            bodyData.setColumnWidthByPosition(c.ordinal(), defaultWidths[c.ordinal()]);
        }
        ColumnOverrideLabelAccumulator labels = new ColumnOverrideLabelAccumulator(bodyData);
        for (SessionColumn c : SessionColumn.ALL) {
            if (c.numeric) {
                labels.registerColumnOverrides(c.ordinal(), NUMBER_LABEL);
            }
        }
        bodyData.setConfigLabelAccumulator(labels);
        columnReorder = new ColumnReorderLayer(bodyData);
        columnHideShow = new ColumnHideShowLayer(columnReorder);
        selection = new SelectionLayer(columnHideShow) {
            /**
             * The arrow keys move from the row clicked or reached last, also after Shift has extended the selection,
             * as in Wireshark's packet list; NatTable moves from the extension's anchor when Shift is not held.
             */
            @Override
            protected PositionCoordinate getCellPositionToMoveFrom(boolean withShiftMask, boolean withControlMask) {
                return super.getCellPositionToMoveFrom(true, withControlMask);
            }
        };
        // Rows are selected as sessions, so that a selection stays on its sessions when the rows are sorted, filtered
        // or a newer snapshot arrives; in a bit set, so that it costs milliseconds at a million rows (NatTable's
        // models take seconds there).
        selectionModel = new SessionSelection(selection, data);
        selection.setSelectionModel(selectionModel);
        ViewportLayer viewport = new ViewportLayer(selection);

        IDataProvider headerData = new DefaultColumnHeaderDataProvider(SessionColumn.titles());
        ColumnHeaderLayer columnHeader = new ColumnHeaderLayer(new DataLayer(headerData, 100, 22), viewport,
                selection);
        SortHeaderLayer<Session> sortHeader = new SortHeaderLayer<>(columnHeader, sortModel);

        IDataProvider rowHeaderData = new DefaultRowHeaderDataProvider(data);
        RowHeaderLayer rowHeader = new RowHeaderLayer(new DataLayer(rowHeaderData, 70, 20), viewport, selection);
        CornerLayer corner = new CornerLayer(new DataLayer(new DefaultCornerDataProvider(headerData, rowHeaderData)),
                rowHeader, sortHeader);

        GridLayer grid = new GridLayer(viewport, sortHeader, rowHeader, corner);
        table = new NatTable(parent, SWT.NO_BACKGROUND | SWT.NO_REDRAW_RESIZE | SWT.DOUBLE_BUFFERED | SWT.V_SCROLL
                | SWT.H_SCROLL, grid, false);
        table.setData(WIDGET_ID, TABLE_ID);
        table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        table.addListener(SWT.KeyDown, e -> {
            if ((e.stateMask & SWT.MOD1) != 0 && e.keyCode == '/') {
                filterBar.text().setFocus(); // Wireshark's shortcut to the display filter
            }
        });
        table.addListener(SWT.MouseMove, e -> explainCellAt(e.x, e.y));
        data.setTimeDisplay(settings.timeDisplay());
        showGroups(settings.columnGroups());
        Menu headerMenu = headerMenu(table);
        table.setData(HEADER_MENU, headerMenu);
        Menu cellMenu = new Menu(table);
        table.setData(CELL_MENU, cellMenu);
        table.addConfiguration(new AbstractUiBindingConfiguration() {
            @Override
            public void configureUiBindings(UiBindingRegistry registry) {
                // Before NatTable's own copy (of cells, on the UI thread): see the class comment.
                registry.registerFirstKeyBinding(new KeyEventMatcher(SWT.MOD1, 'c'), (t, e) -> copySelection(false));
                registry.registerFirstKeyBinding(new KeyEventMatcher(SWT.MOD1 | SWT.SHIFT, 'c'),
                        (t, e) -> copySelection(true));
                registry.registerMouseDownBinding(new MouseEventMatcher(SWT.NONE, GridRegion.COLUMN_HEADER,
                        MouseEventMatcher.RIGHT_BUTTON), new PopupMenuAction(headerMenu));
                registry.registerMouseDownBinding(new MouseEventMatcher(SWT.NONE, GridRegion.BODY,
                        MouseEventMatcher.RIGHT_BUTTON), (t, e) -> {
                            int columnPosition = t.getColumnPositionByX(e.x);
                            int rowPosition = t.getRowPositionByY(e.y);
                            int column = t.getColumnIndexByPosition(columnPosition);
                            int row = t.getRowIndexByPosition(rowPosition);
                            if (fillCellMenu(cellMenu, column, row)) {
                                // As in Wireshark and file managers: the row clicked is the one acted on, so it is
                                // selected unless it already is (a selection of several rows stays).
                                int bodyRow = LayerUtil.convertRowPosition(t, rowPosition, selection);
                                if (!selection.isRowPositionSelected(bodyRow)) {
                                    t.doCommand(new SelectRowsCommand(t, columnPosition, rowPosition, false, false));
                                }
                                exportPacketsItem.setEnabled(handlers.canExecute(exportPacketsCommand()));
                                followStreamItem.setEnabled(handlers.canExecute(followStreamCommand()));
                                cellMenu.setVisible(true);
                            }
                        });
            }
        });
        table.addConfiguration(new DefaultNatTableStyleConfiguration());
        table.addConfiguration(selectionStyle(parent.getDisplay()));
        table.addConfiguration(new SingleClickSortConfiguration());
        table.addConfiguration(new AbstractRegistryConfiguration() {
            @Override
            public void configureRegistry(IConfigRegistry registry) {
                Style right = new Style();
                right.setAttributeValue(CellStyleAttributes.HORIZONTAL_ALIGNMENT, HorizontalAlignmentEnum.RIGHT);
                registry.registerConfigAttribute(CellConfigAttributes.CELL_STYLE, right, DisplayMode.NORMAL,
                        NUMBER_LABEL);
            }
        });
        table.configure();
        fitTimeColumn();
        arrangeColumns(settings.columnLayout());
        // Dragged into another order or to another width: kept for the next run (the events come at the drop).
        table.addLayerListener(event -> {
            if (event instanceof ColumnReorderEvent || event instanceof ColumnResizeEvent) {
                keepColumnLayout();
            }
        });
        if (!model.displayFilter().isEmpty()) {
            // Started with -Y: applied as if typed (a mistake shows in red with its reason, and nothing is hidden).
            filterBar.apply(model.displayFilter());
        }

        model.addListener(this);
        captureChanged(model.snapshot());
    }

    /**
     * Puts the columns in the order and at the widths of a layout kept from an earlier run; columns it does not name
     * (new in this version) follow in their usual order.
     */
    private void arrangeColumns(Map<String, Integer> layout) {
        if (layout.isEmpty()) {
            return;
        }
        Map<String, SessionColumn> byTitle = new HashMap<>();
        for (SessionColumn c : SessionColumn.ALL) {
            byTitle.put(c.title, c);
        }
        Set<Integer> order = new LinkedHashSet<>();
        layout.forEach((title, width) -> {
            SessionColumn c = byTitle.get(title);
            if (c != null) {
                order.add(c.ordinal());
                if (width > 0) {
                    bodyData.setColumnWidthByPosition(c.ordinal(), width);
                }
            }
        });
        for (SessionColumn c : SessionColumn.ALL) {
            order.add(c.ordinal());
        }
        // Column by column from the left, so that the layers above hear of each move (a refresh of the whole table
        // would put every column back in its usual place: see show).
        int position = 0;
        for (int index : order) {
            int from = columnReorder.getColumnPositionByIndex(index);
            if (from != position) {
                columnReorder.reorderColumnPosition(from, position);
            }
            position++;
        }
    }

    private void keepColumnLayout() {
        Map<String, Integer> layout = new LinkedHashMap<>();
        for (int index : columnReorder.getColumnIndexOrder()) {
            layout.put(SessionColumn.ALL[index].title, bodyData.getColumnWidthByPosition(index));
        }
        settings.setColumnLayout(layout);
    }

    /** The columns in their usual order and at their usual widths, as if never arranged. UI thread. */
    void defaultColumnLayout() {
        columnReorder.resetReorder();
        for (SessionColumn c : SessionColumn.ALL) {
            bodyData.setColumnWidthByPosition(c.ordinal(), defaultWidths[c.ordinal()]);
        }
        fitTimeColumn();
        settings.clearColumnLayout();
        table.redraw();
    }

    /**
     * The column headers' menu: one choice of time display per item, then the optional column groups, then the
     * columns' usual order and widths.
     */
    private Menu headerMenu(NatTable t) {
        Menu menu = new Menu(t);
        MenuItem title = new MenuItem(menu, SWT.PUSH);
        title.setText("ts column shows:");
        title.setEnabled(false);
        for (TimeDisplay d : TimeDisplay.values()) {
            MenuItem item = new MenuItem(menu, SWT.RADIO);
            item.setText(d.label);
            item.setData(d);
            item.addListener(SWT.Selection, e -> {
                if (item.getSelection()) {
                    setTimeDisplay(d);
                }
            });
        }
        new MenuItem(menu, SWT.SEPARATOR);
        MenuItem columns = new MenuItem(menu, SWT.PUSH);
        columns.setText("Columns beyond Zeek's:");
        columns.setEnabled(false);
        for (ConnColumns g : ConnColumns.values()) {
            MenuItem item = new MenuItem(menu, SWT.CHECK);
            item.setText(GROUP_LABELS.get(g));
            item.setData(g);
            item.addListener(SWT.Selection, e -> {
                Set<ConnColumns> next = EnumSet.noneOf(ConnColumns.class);
                next.addAll(shownGroups);
                if (item.getSelection()) {
                    next.add(g);
                } else {
                    next.remove(g);
                }
                setShownGroups(next);
            });
        }
        new MenuItem(menu, SWT.SEPARATOR);
        MenuItem reset = new MenuItem(menu, SWT.PUSH);
        reset.setText("Default Column Order and Widths");
        reset.addListener(SWT.Selection, e -> defaultColumnLayout());
        menu.addListener(SWT.Show, e -> {
            for (MenuItem item : menu.getItems()) {
                if (item.getData() instanceof TimeDisplay d) {
                    item.setSelection(d == data.timeDisplay());
                } else if (item.getData() instanceof ConnColumns g) {
                    item.setSelection(shownGroups.contains(g));
                }
            }
        });
        return menu;
    }

    /**
     * Fills the cells' menu for the cell at a column and row index: the filters Wireshark's "Apply as Filter" offers
     * (the value; not the value; and, when a filter is applied, the applied one and or or with either), the same to
     * prepare in the bar, then copying the value or the selected rows. False for no cell.
     */
    private boolean fillCellMenu(Menu menu, int column, int row) {
        if (column < 0 || column >= SessionColumn.ALL.length || row < 0 || row >= data.getRowCount()) {
            return false;
        }
        for (MenuItem item : menu.getItems()) {
            item.dispose();
        }
        String value = CellFilter.expression(SessionColumn.ALL[column], data.getRowObject(row));
        String current = filterBar.applied().expression();
        List<String> filters = new ArrayList<>(List.of(value, "!(" + value + ")"));
        if (!current.isEmpty()) {
            for (String op : List.of(" && ", " || ")) {
                filters.add("(" + current + ")" + op + value);
                filters.add("(" + current + ")" + op + "!(" + value + ")");
            }
        }
        MenuItem title = new MenuItem(menu, SWT.PUSH);
        title.setText("Apply as Filter:");
        title.setEnabled(false);
        for (String f : filters) {
            filterItem(menu, f, true);
        }
        // Wireshark's Prepare as Filter: the same, into the bar to be edited, applied on Enter.
        MenuItem prepareItem = new MenuItem(menu, SWT.CASCADE);
        prepareItem.setText("Prepare as Filter");
        Menu prepare = new Menu(prepareItem);
        prepareItem.setMenu(prepare);
        for (String f : filters) {
            filterItem(prepare, f, false);
        }
        new MenuItem(menu, SWT.SEPARATOR);
        String text = data.getDataValue(column, row).toString();
        MenuItem copyValue = new MenuItem(menu, SWT.PUSH);
        copyValue.setText("Copy Value");
        copyValue.addListener(SWT.Selection, e -> toClipboard(table.getDisplay(), text));
        MenuItem copyRows = new MenuItem(menu, SWT.PUSH);
        copyRows.setText("Copy Selected Rows\tCtrl+C");
        copyRows.addListener(SWT.Selection, e -> copySelection(false));
        MenuItem copyTitled = new MenuItem(menu, SWT.PUSH);
        copyTitled.setText("Copy Selected Rows with Column Titles\tCtrl+Shift+C");
        copyTitled.addListener(SWT.Selection, e -> copySelection(true));
        new MenuItem(menu, SWT.SEPARATOR);
        MenuItem exportItem = new MenuItem(menu, SWT.PUSH);
        exportItem.setText("Export Packets of Selected Sessions…");
        exportItem.addListener(SWT.Selection, e -> handlers.executeHandler(exportPacketsCommand()));
        exportPacketsItem = exportItem;
        MenuItem followItem = new MenuItem(menu, SWT.PUSH);
        followItem.setText("Follow Stream…\tCtrl+Alt+Shift+T");
        followItem.addListener(SWT.Selection, e -> handlers.executeHandler(followStreamCommand()));
        followStreamItem = followItem;
        return true;
    }

    private ParameterizedCommand exportPacketsCommand() {
        return commands.createCommand(EXPORT_PACKETS_COMMAND, null);
    }

    private ParameterizedCommand followStreamCommand() {
        return commands.createCommand(FOLLOW_STREAM_COMMAND, null);
    }

    private void filterItem(Menu menu, String expression, boolean apply) {
        MenuItem item = new MenuItem(menu, SWT.PUSH);
        String label = expression.length() > 100 ? expression.substring(0, 99) + "…" : expression;
        item.setText(FilterBar.literal(label));
        item.setData(expression);
        item.addListener(SWT.Selection, e -> {
            if (apply) {
                filterBar.apply(expression);
            } else {
                filterBar.prepare(expression);
            }
        });
    }

    /** Shows the optional columns of these groups and hides the others, and keeps the choice. UI thread. */
    void setShownGroups(Set<ConnColumns> groups) {
        showGroups(groups);
        settings.setColumnGroups(shownGroups);
    }

    private void showGroups(Set<ConnColumns> groups) {
        shownGroups = groups.isEmpty() ? EnumSet.noneOf(ConnColumns.class) : EnumSet.copyOf(groups);
        List<Integer> show = new ArrayList<>(), hide = new ArrayList<>();
        for (SessionColumn c : SessionColumn.ALL) {
            if (c.group != null) {
                (shownGroups.contains(c.group) ? show : hide).add(c.ordinal());
            }
        }
        columnHideShow.showColumnIndexes(show);
        columnHideShow.hideColumnIndexes(hide);
    }

    /** Shows the ts column as {@code d} from now on, and keeps the choice with the part. UI thread. */
    void setTimeDisplay(TimeDisplay d) {
        data.setTimeDisplay(d);
        settings.setTimeDisplay(d);
        if (table != null && !table.isDisposed()) {
            fitTimeColumn();
            table.redraw();
        }
    }

    /**
     * The tool tip: over a column header what the column means, over a conn_state or history cell its codes spelled
     * out ({@link CellExplanation}); none elsewhere.
     */
    private void explainCellAt(int x, int y) {
        String text = null;
        LabelStack region = table.getRegionLabelsByXY(x, y);
        int column = table.getColumnIndexByPosition(table.getColumnPositionByX(x));
        if (region != null && column >= 0 && column < SessionColumn.ALL.length) {
            int row = table.getRowIndexByPosition(table.getRowPositionByY(y));
            if (region.hasLabel(GridRegion.COLUMN_HEADER)) {
                text = CellExplanation.ofColumn(SessionColumn.ALL[column]);
            } else if (region.hasLabel(GridRegion.BODY) && row >= 0 && row < data.getRowCount()) {
                text = CellExplanation.of(SessionColumn.ALL[column], data.getRowObject(row));
            }
        }
        if (!Objects.equals(text, table.getToolTipText())) {
            table.setToolTipText(text);
        }
    }

    /** How wide each column's title is, with room for the sort arrow: the optional groups' Zeek names are long. */
    private static int[] titleWidths(Composite parent) {
        int[] widths = new int[SessionColumn.ALL.length];
        GC gc = new GC(parent);
        try {
            for (SessionColumn c : SessionColumn.ALL) {
                widths[c.ordinal()] = gc.textExtent(c.title).x + 24;
            }
        } finally {
            gc.dispose();
        }
        return widths;
    }

    /** The ts column as wide as a date and time needs when it shows one, else its usual width. */
    private void fitTimeColumn() {
        int width = SessionColumn.TS.width;
        TimeDisplay d = data.timeDisplay();
        if (d == TimeDisplay.UTC || d == TimeDisplay.LOCAL) {
            GC gc = new GC(table);
            try {
                width = Math.max(width, gc.textExtent("0000-00-00 00:00:00.000000").x + 16);
            } finally {
                gc.dispose();
            }
        }
        bodyData.setColumnWidthByPosition(SessionColumn.TS.ordinal(), width);
    }

    /**
     * Selected rows in the platform's list-selection colours, in the table's own font (NatTable's default is bold
     * italic text on a pale grey, which reads as a different kind of row); headers stay plain, since a selected row
     * spans every column and would light up the whole header.
     */
    private static DefaultSelectionStyleConfiguration selectionStyle(Display display) {
        DefaultSelectionStyleConfiguration style = new DefaultSelectionStyleConfiguration();
        Color background = display.getSystemColor(SWT.COLOR_LIST_SELECTION);
        Color foreground = display.getSystemColor(SWT.COLOR_LIST_SELECTION_TEXT);
        style.selectionFont = GUIHelper.DEFAULT_FONT;
        style.selectionBgColor = background;
        style.selectionFgColor = foreground;
        style.anchorBgColor = background;
        style.anchorFgColor = foreground;
        style.selectedHeaderFont = GUIHelper.DEFAULT_FONT;
        style.selectedHeaderBgColor = GUIHelper.COLOR_WIDGET_BACKGROUND;
        style.selectedHeaderFgColor = GUIHelper.COLOR_WIDGET_FOREGROUND;
        style.fullySelectedHeaderBgColor = GUIHelper.COLOR_WIDGET_BACKGROUND;
        return style;
    }

    @PreDestroy
    void dispose() {
        if (model != null) {
            model.removeListener(this);
        }
    }

    @Focus
    void focus() {
        if (table != null && !table.isDisposed()) {
            table.setFocus();
        }
    }

    @Override
    public void captureChanged(Snapshot snapshot) {
        if (table == null || table.isDisposed() || snapshot.sessions() == shown) {
            return;
        }
        if (!snapshot.captures().equals(captures) || snapshot.sessions().size() < base.length) {
            // Rows of another capture (or none): the selected sessions are gone.
            selection.clear();
        }
        captures = snapshot.captures();
        shown = snapshot.sessions();
        base = shown.toArray(new Session[0]);
        refresh();
    }

    /**
     * Shows {@link #base} through the applied filter, ordered by the sorted column: filtering and sorting the indexes
     * of its sessions in a background job when either has work to do, or when the selection is to be carried over
     * to a newer snapshot (by uid, for a million sessions not a job for the UI thread). A newer call makes an older
     * job's result stale. UI thread.
     */
    private void refresh() {
        long gen = generation.incrementAndGet();
        Session[] all = base;
        SessionFilter filter = filterBar.applied();
        int column = sortModel.column();
        SortDirectionEnum direction = sortModel.direction();
        boolean sorted = column >= 0 && direction != SortDirectionEnum.NONE && all.length > 1;
        Session[] selectedOf = selectionModel.snapshot();
        boolean carry = selectedOf != all && !selectionModel.isEmpty();
        if (filter.isAll() && !sorted && !carry) {
            show(all, all, null, null, null);
            return;
        }
        Comparator<Session> order = sorted ? SessionColumn.ALL[column].comparator : null;
        Comparator<Session> cmp = direction == SortDirectionEnum.DESC && order != null ? order.reversed() : order;
        Display display = table.getDisplay();
        Job job = new Job(sorted ? "Sorting sessions by " + SessionColumn.ALL[column].title : "Filtering sessions") {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                int[] oldToNew = carry ? SessionSelection.indexesByUid(selectedOf, null, all) : null;
                int[] indexes = filter.isAll() ? null
                        : RowOrder.filtered(all, filter, () -> generation.get() != gen);
                if (!filter.isAll() && indexes == null) {
                    return Status.CANCEL_STATUS;
                }
                if (cmp != null) {
                    if (indexes == null) {
                        indexes = RowOrder.identity(all.length);
                    }
                    RowOrder.sort(indexes, all, cmp); // stable: equal keys keep the capture's order
                }
                int[] allIndexes = indexes;
                Session[] rows = allIndexes == null ? all : RowOrder.sessions(all, allIndexes);
                if (generation.get() == gen && !display.isDisposed()) {
                    display.asyncExec(() -> {
                        if (generation.get() == gen) {
                            show(rows, all, allIndexes, selectedOf, oldToNew);
                        }
                    });
                }
                return Status.OK_STATUS;
            }
        };
        job.setSystem(true);
        job.schedule();
    }

    /**
     * Shows rows of {@code all} (at {@code allIndexes} of it; null: all of it), and carries the selection over to
     * {@code all} when it was made on an older snapshot ({@code old}, whose sessions are at {@code oldToNew} of
     * {@code all}: see {@link SessionSelection#carryOver}).
     */
    private void show(Session[] rows, Session[] all, int[] allIndexes, Session[] old, int[] oldToNew) {
        if (table == null || table.isDisposed()) {
            return;
        }
        selectionModel.carryOver(old, all, oldToNew);
        data.setRows(rows, all, allIndexes);
        // Other rows, the same columns: NatTable's full refresh would also put every column back in its usual order.
        bodyData.fireLayerEvent(new RowStructuralRefreshEvent(bodyData));
        filterBar.showCounts(rows.length, all.length);
    }

    /**
     * Writes the rows shown (after the filter, in the view's order), or the selected ones of them, to a file in a
     * background job (File › Export Sessions…, Export Selected Sessions…); a failure is reported in a message box. UI
     * thread.
     *
     * @return the job, scheduled
     */
    Job export(Path file, boolean selectedOnly) {
        Session[] rows = selectedOnly ? selectionModel.shownSessions() : data.rows();
        Set<ConnColumns> groups = EnumSet.copyOf(shownGroups);
        Display display = table.getDisplay();
        Job job = new WorkbenchJob(SessionExport.taskName(rows.length, file)) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                try {
                    SessionExport.write(rows, groups, file, monitor);
                    return new Status(IStatus.OK, SessionsPart.class, String.format(Locale.ROOT,
                            "Exported %,d %s to %s", rows.length, rows.length == 1 ? "session" : "sessions",
                            file.getFileName()));
                } catch (OperationCanceledException e) {
                    return Status.CANCEL_STATUS;
                } catch (IOException e) {
                    String reason = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                            : e instanceof java.nio.file.NoSuchFileException ? "no such folder"
                            : String.valueOf(e.getMessage());
                    display.asyncExec(() -> {
                        if (!display.isDisposed()) {
                            MessageBox box = new MessageBox(display.getActiveShell(), SWT.ICON_ERROR | SWT.OK);
                            box.setText("Export Sessions");
                            box.setMessage("Cannot write " + file + ": " + reason + ".");
                            box.open();
                        }
                    });
                    return Status.OK_STATUS; // reported above, not in the error log as well
                }
            }
        };
        job.setUser(true);
        job.schedule();
        return job;
    }

    /**
     * Puts the selected rows that are shown, in the view's order and with the columns shown, on the clipboard as text
     * ({@link SessionCopy}), optionally after a line of the column titles: in a background job, which the status line
     * shows with a Cancel button. A million rows that cannot be held as text are reported, not copied. Nothing when
     * no row is selected. UI thread.
     */
    void copySelection(boolean titles) {
        Session[] rows = selectionModel.shownSessions();
        if (rows.length == 0) {
            return;
        }
        int[] columns = new int[selection.getColumnCount()];
        for (int position = 0; position < columns.length; position++) {
            columns[position] = selection.getColumnIndexByPosition(position);
        }
        SessionsDataProvider.CellText cells = data.cellText();
        Display display = table.getDisplay();
        Job job = new WorkbenchJob(SessionCopy.taskName(rows.length)) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                String text;
                try {
                    text = SessionCopy.text(rows, columns, titles, cells, monitor);
                } catch (OperationCanceledException e) {
                    return Status.CANCEL_STATUS;
                } catch (OutOfMemoryError e) {
                    display.asyncExec(() -> tellCopyFailed(display, rows.length));
                    return Status.OK_STATUS; // reported above
                }
                display.asyncExec(() -> toClipboard(display, text));
                return new Status(IStatus.OK, SessionsPart.class, String.format(Locale.ROOT, "Copied %,d %s",
                        rows.length, rows.length == 1 ? "row" : "rows"));
            }
        };
        job.setUser(true);
        job.schedule();
    }

    /** Whether any row on screen is selected. */
    boolean hasSelectedRows() {
        return selection.getSelectedRowCount() > 0;
    }

    /** The captures shown, none when none is. */
    List<Path> captures() {
        return captures;
    }

    /**
     * Hides one session from the rows shown, as Wireshark's Filter Out This Stream: the filter applied and not that
     * uid.
     */
    void filterOut(String uid) {
        String current = filterBar.applied().expression();
        String out = "!(uid == \"" + uid + "\")";
        filterBar.apply(current.isEmpty() ? out : "(" + current + ") && " + out);
    }

    /** The window the view is in. */
    Shell shell() {
        return table.getShell();
    }

    /** The session of the one row selected; null when none or several are. */
    Session selectedSession() {
        if (selection.getSelectedRowCount() != 1) {
            return null;
        }
        Session[] shown = selectedSessions();
        return shown.length == 1 ? shown[0] : null;
    }

    /** The selected sessions that the filter shows, in the view's order. */
    Session[] selectedSessions() {
        return selectionModel.shownSessions();
    }

    private static void toClipboard(Display display, String text) {
        if (display.isDisposed() || text.isEmpty()) {
            return; // SWT refuses empty text
        }
        Clipboard clipboard = new Clipboard(display);
        try {
            clipboard.setContents(new Object[] {text}, new Transfer[] {TextTransfer.getInstance()});
        } finally {
            clipboard.dispose();
        }
    }

    private static void tellCopyFailed(Display display, int rows) {
        if (!display.isDisposed()) {
            MessageBox box = new MessageBox(display.getActiveShell(), SWT.ICON_ERROR | SWT.OK);
            box.setText("Copy");
            box.setMessage(String.format(Locale.ROOT, "Not enough memory to copy %,d sessions as text. File \u203a "
                    + "Export Sessions\u2026 writes the rows shown to a file.", rows));
            box.open();
        }
    }

    /** The rows in display order (UI thread); for tests. */
    Session[] rows() {
        return data.rows();
    }
}
