package org.weir.ui.sessions.internal;

import java.util.Comparator;
import java.util.List;

import org.eclipse.nebula.widgets.nattable.sort.ISortModel;
import org.eclipse.nebula.widgets.nattable.sort.SortDirectionEnum;

/**
 * Sort state of the Sessions view (one column at a time). NatTable calls {@link #sort} on the UI thread when a
 * column header is clicked; the sorting itself runs off the UI thread (see {@link SessionsPart}).
 */
final class SessionsSortModel implements ISortModel {

    interface Sorter {
        void sortBy(int column, SortDirectionEnum direction);
    }

    private final Sorter sorter;
    private int column = -1;
    private SortDirectionEnum direction = SortDirectionEnum.NONE;

    SessionsSortModel(Sorter sorter) {
        this.sorter = sorter;
    }

    int column() {
        return column;
    }

    SortDirectionEnum direction() {
        return direction;
    }

    @Override
    public List<Integer> getSortedColumnIndexes() {
        return column < 0 || direction == SortDirectionEnum.NONE ? List.of() : List.of(column);
    }

    @Override
    public boolean isColumnIndexSorted(int columnIndex) {
        return columnIndex == column && direction != SortDirectionEnum.NONE;
    }

    @Override
    public SortDirectionEnum getSortDirection(int columnIndex) {
        return columnIndex == column ? direction : SortDirectionEnum.NONE;
    }

    @Override
    public int getSortOrder(int columnIndex) {
        return isColumnIndexSorted(columnIndex) ? 0 : -1;
    }

    @SuppressWarnings("rawtypes")
    @Override
    public List<Comparator> getComparatorsForColumnIndex(int columnIndex) {
        return List.of(getColumnComparator(columnIndex));
    }

    @Override
    public Comparator<?> getColumnComparator(int columnIndex) {
        return SessionColumn.ALL[columnIndex].comparator;
    }

    @Override
    public void sort(int columnIndex, SortDirectionEnum sortDirection, boolean accumulate) {
        if (columnIndex < 0 || columnIndex >= SessionColumn.ALL.length) {
            return;
        }
        column = sortDirection == SortDirectionEnum.NONE ? -1 : columnIndex;
        direction = sortDirection;
        sorter.sortBy(column, direction);
    }

    @Override
    public void clear() {
        column = -1;
        direction = SortDirectionEnum.NONE;
        sorter.sortBy(-1, SortDirectionEnum.NONE);
    }
}
