package io.qmp4j.bench;

import java.util.List;
import java.util.Locale;

/** Grouped horizontal bar charts as plain SVG (no chart library needed for bars and labels). */
final class SvgChart {
    private static final int LABEL_WIDTH = 230;
    private static final int BAR_AREA = 470;
    private static final int VALUE_WIDTH = 90;
    private static final int BAR_HEIGHT = 13;
    private static final int GROUP_GAP = 10;
    private static final String[] COLOURS = {"#6b6b6b", "#1f77b4", "#2ca02c", "#ff7f0e"};

    private SvgChart() {
    }

    /**
     * A chart with one group of bars per {@code groups} entry and one bar per series in each.
     *
     * @param values {@code values[group][series]}; NaN leaves the bar out
     * @param unit   appended to each value label, for example {@code "/s"} or {@code " µs"}
     */
    static String bars(String title, List<String> groups, List<String> series, double[][] values, String unit) {
        double max = 0;
        for (double[] row : values) {
            for (double v : row) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        int top = 50;
        int groupHeight = series.size() * BAR_HEIGHT + GROUP_GAP;
        int height = top + groups.size() * groupHeight + 20;
        int width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                escape(title)));
        for (int s = 0; s < series.size(); s++) {
            int x = LABEL_WIDTH + s * 110;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"28\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"38\">%s</text>%n", x, COLOURS[s % COLOURS.length], x + 16,
                    escape(series.get(s))));
        }
        for (int g = 0; g < groups.size(); g++) {
            int y = top + g * groupHeight;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LABEL_WIDTH - 8, y + series.size() * BAR_HEIGHT / 2 + 4, escape(groups.get(g))));
            for (int s = 0; s < series.size(); s++) {
                double v = values[g][s];
                if (Double.isNaN(v)) {
                    continue;
                }
                int w = max == 0 ? 0 : (int) Math.round(v / max * BAR_AREA);
                int by = y + s * BAR_HEIGHT;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
                        + "<text x=\"%d\" y=\"%d\">%s%s</text>%n", LABEL_WIDTH, by, Math.max(1, w), BAR_HEIGHT - 2,
                        COLOURS[s % COLOURS.length], LABEL_WIDTH + w + 4, by + BAR_HEIGHT - 3, Report.number(v),
                        escape(unit)));
            }
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
