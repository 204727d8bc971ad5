package org.weir.ui.sessions.internal;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Text;
import org.weir.filter.FilterField;
import org.weir.filter.FilterSyntaxException;
import org.weir.filter.SessionFilter;

/**
 * The Sessions view's display filter bar, as Wireshark's: the expression is checked as it is typed (green when it
 * compiles, red with the reason beside it when not, the characters at fault selected on Enter) and applied on Enter;
 * the clear icon or Escape shows every session again; Up and Down go through the filters applied before, newest
 * first, as a shell's history does, and the arrow beside the text (or Alt+Down) lists them to pick one, as Wireshark's
 * drop-down of recent filters does. Beside it, how many sessions the applied filter shows.
 */
final class FilterBar {

    /** Widget data values (key {@link SessionsPart#WIDGET_ID}) of the text and the status beside it, for UI tests. */
    static final String TEXT_ID = "sessionsFilter";
    static final String STATUS_ID = "sessionsFilterStatus";
    static final String RECENT_ID = "sessionsFilterRecent";
    /** Widget data key of the recent filters' menu, on the arrow that opens it (UI tests). */
    static final String RECENT_MENU = "org.weir.ui.sessions.recentFilters";
    /** Longer filters are cut in the menu (the whole one is its item's tooltip). */
    private static final int MENU_TEXT = 90;

    /** Filters kept for Up and Down. */
    private static final int HISTORY = 30;
    /** Wireshark's colours for a filter that compiles and one that does not. */
    private static final int[] VALID_RGB = {0xAF, 0xFF, 0xAF};
    private static final int[] INVALID_RGB = {0xFF, 0xAF, 0xAF};

    private final Text text;
    private final Menu recentMenu;
    private final Label status;
    private final Color valid;
    private final Color invalid;
    private final Color errorText;
    private final Consumer<SessionFilter> onApply;
    private SessionFilter applied = SessionFilter.ALL;
    /** What the text compiles to, or null while it does not; then {@link #error} says why. */
    private SessionFilter typed = SessionFilter.ALL;
    private FilterSyntaxException error;
    /** The filters applied (in this run and before), newest first, each once; and which Up and Down show (-1: none). */
    private final List<String> history = new ArrayList<>();
    private int recalled = -1;

    /**
     * @param history the filters applied before, newest first, for Up and Down
     * @param onApply told of each filter applied; {@link #history()} then has it first
     */
    FilterBar(Composite parent, List<String> history, Consumer<SessionFilter> onApply) {
        this.onApply = onApply;
        this.history.addAll(history.subList(0, Math.min(history.size(), HISTORY)));
        Composite bar = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(3, false);
        layout.marginHeight = 2;
        layout.marginWidth = 2;
        bar.setLayout(layout);
        bar.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));

        text = new Text(bar, SWT.SINGLE | SWT.BORDER | SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
        text.setMessage("Filter sessions, e.g. id.resp_p == 443 && !service"
                + " (Enter applies, Up recalls earlier ones; Ctrl+/ comes here)");
        text.setToolTipText(literal(help()));
        text.setData(SessionsPart.WIDGET_ID, TEXT_ID);
        GridData textLayout = new GridData(SWT.FILL, SWT.CENTER, true, false);
        textLayout.widthHint = 420;
        text.setLayoutData(textLayout);

        Button recent = new Button(bar, SWT.ARROW | SWT.DOWN);
        recent.setToolTipText("Recent filters (Alt+Down)");
        recent.setData(SessionsPart.WIDGET_ID, RECENT_ID);
        recentMenu = new Menu(recent);
        recent.setData(RECENT_MENU, recentMenu);
        recent.addListener(SWT.Selection, e -> showRecent());

        status = new Label(bar, SWT.NONE);
        status.setData(SessionsPart.WIDGET_ID, STATUS_ID);
        status.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));

        valid = new Color(parent.getDisplay(), VALID_RGB[0], VALID_RGB[1], VALID_RGB[2]);
        invalid = new Color(parent.getDisplay(), INVALID_RGB[0], INVALID_RGB[1], INVALID_RGB[2]);
        errorText = parent.getDisplay().getSystemColor(SWT.COLOR_DARK_RED);

        text.addListener(SWT.Modify, e -> check());
        text.addListener(SWT.DefaultSelection, e -> {
            if (e.detail == SWT.ICON_CANCEL) {
                text.setText("");
            }
            apply();
        });
        text.addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.ESC && !text.getText().isEmpty()) {
                text.setText("");
                apply();
                e.doit = false;
            } else if (e.keyCode == SWT.ARROW_DOWN && (e.stateMask & SWT.ALT) != 0) {
                showRecent();
                e.doit = false;
            } else if (e.keyCode == SWT.ARROW_UP || e.keyCode == SWT.ARROW_DOWN) {
                recall(e.keyCode == SWT.ARROW_UP ? 1 : -1);
                e.doit = false;
            }
        });
    }

    Text text() {
        return text;
    }

    /** The filters applied, newest first. */
    List<String> history() {
        return List.copyOf(history);
    }

    /** The filter the rows are shown with. */
    SessionFilter applied() {
        return applied;
    }

    /** Puts an expression into the bar and applies it (the table's "filter on this value" menu). */
    void apply(String expression) {
        text.setText(expression);
        apply();
    }

    /**
     * Puts an expression in the bar without applying it, as Wireshark's Prepare as Filter does: checked as typed, the
     * caret at its end, applied on Enter.
     */
    void prepare(String expression) {
        text.setText(expression);
        text.setFocus();
        text.setSelection(expression.length());
    }

    /** Says how many sessions the rows show: the count of the applied filter, nothing when it shows them all. */
    void showCounts(int shown, int total) {
        if (error != null) {
            return;
        }
        NumberFormat n = NumberFormat.getIntegerInstance(Locale.ROOT);
        setStatus(applied.isAll() ? "" : "Showing " + n.format(shown) + " of " + n.format(total) + " sessions",
                false);
    }

    /** Compiles what is typed: colour and status only; the rows change on Enter. */
    private void check() {
        try {
            typed = SessionFilter.compile(text.getText());
            error = null;
            text.setBackground(typed.isAll() ? null : valid);
            if (!typed.expression().equals(applied.expression())) {
                setStatus(typed.isAll() ? "Enter shows every session" : "Enter applies the filter", false);
            } else {
                setStatus("", false);
            }
        } catch (FilterSyntaxException e) {
            typed = null;
            error = e;
            text.setBackground(invalid);
            setStatus(e.reason(), true);
        }
    }

    private void apply() {
        check();
        if (error != null) {
            // Mark what is wrong; the rows keep the filter applied before.
            text.setSelection(error.start(), error.end());
            text.getDisplay().beep();
            return;
        }
        applied = typed;
        remember(applied.expression());
        setStatus(applied.isAll() ? "" : "Filtering…", false);
        onApply.accept(applied);
    }

    private void remember(String expression) {
        recalled = -1;
        if (!expression.isEmpty()) {
            history.remove(expression);
            history.add(0, expression);
            if (history.size() > HISTORY) {
                history.remove(HISTORY);
            }
        }
    }

    /** Shows an older ({@code step} 1) or newer (-1) filter of the history than the one shown, skipping the text. */
    private void recall(int step) {
        String current = text.getText();
        for (int i = recalled + step; i >= 0 && i < history.size(); i += step) {
            if (!history.get(i).equals(current)) {
                recalled = i;
                text.setText(history.get(i));
                text.setSelection(text.getText().length());
                return;
            }
        }
    }

    /** Opens the menu of the filters applied before, under the text; picking one applies it. */
    private void showRecent() {
        for (MenuItem item : recentMenu.getItems()) {
            item.dispose();
        }
        if (history.isEmpty()) {
            MenuItem none = new MenuItem(recentMenu, SWT.PUSH);
            none.setText("No filter applied yet");
            none.setEnabled(false);
        }
        for (String expression : history) {
            MenuItem item = new MenuItem(recentMenu, SWT.PUSH);
            // Menus take '&' for a mnemonic.
            String shown = expression.length() <= MENU_TEXT ? expression
                    : expression.substring(0, MENU_TEXT - 1) + "…";
            item.setText(literal(shown));
            item.setToolTipText(expression.length() > MENU_TEXT ? literal(expression) : null);
            item.setData(expression);
            item.addListener(SWT.Selection, e -> {
                text.setFocus();
                apply(expression);
            });
        }
        recentMenu.setLocation(text.toDisplay(0, text.getSize().y));
        recentMenu.setVisible(true);
    }

    private void setStatus(String message, boolean isError) {
        status.setText(literal(message));
        status.setToolTipText(isError ? literal(message) : null);
        status.setForeground(isError ? errorText : null);
        status.getParent().layout();
    }

    /**
     * The text as SWT shows it in a label, menu item or tooltip, which take '&' for a mnemonic marker: the filter
     * language's {@code &&} would show as one '&'.
     */
    static String literal(String text) {
        return text.replace("&", "&&");
    }

    /** The tooltip: the language in brief and every field. */
    private static String help() {
        StringBuilder sb = new StringBuilder("""
                Wireshark's display filter language over conn.log's fields:
                  ==  !=  <  <=  >  >=  contains  matches  in {…}    &&  ||  !  ( )
                  id.resp_p == 443 && !service
                  addr == 10.0.0.0/8 and conn_state in {S0 REJ}
                  history matches "^S[^h]"    duration > 5min    ts >= "2011-03-18 19:06"
                A field alone tests that it is set; a relation with an unset field (Zeek's '-') is false.

                Fields:
                """);
        for (FilterField f : SessionFilter.fields()) {
            sb.append("  ").append(f.name()).append(" (").append(f.type()).append("): ").append(f.description())
                    .append('\n');
        }
        return sb.toString().stripTrailing();
    }
}
