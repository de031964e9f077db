package dev.mpchannel.bench.osgi;

import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;

/**
 * The driver's counts and sizes: {@code mpbench.*} framework properties (the bnd launcher takes them from the
 * harness's {@code -D} options), each with the default of a standalone run.
 */
final class DriverProperties {
    private final BundleContext context;

    DriverProperties(BundleContext context) {
        this.context = context;
    }

    int intProperty(String key, int fallback) {
        String value = context.getProperty(key);
        return value == null ? fallback : Integer.parseInt(value.trim());
    }

    /** A comma-separated list; blanks are skipped. */
    List<String> strings(String key, String fallback) {
        String value = context.getProperty(key);
        List<String> list = new ArrayList<>();
        for (String part : (value == null ? fallback : value).split(",")) {
            if (!part.isBlank()) {
                list.add(part.trim());
            }
        }
        return list;
    }

    List<Integer> ints(String key, String fallback) {
        return strings(key, fallback).stream().map(Integer::valueOf).toList();
    }
}
