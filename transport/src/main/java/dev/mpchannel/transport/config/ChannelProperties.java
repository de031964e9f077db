package dev.mpchannel.transport.config;

import dev.mpchannel.transport.text.Printable;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A channel configuration's properties as ConfigAdmin holds them, read key by key and checked before anything is
 * converted: a file gives strings, a console may give typed values, and either may be wrong. The keys and their
 * defaults are those of {@link ChannelConfiguration} (a method {@code max_fds} is the key {@code max.fds}). Every
 * problem is a {@link ConfigurationProblem} naming the key, the value and what is allowed.
 */
public final class ChannelProperties {
    /** The most descriptors one message may carry: the kernel's SCM_MAX_FD. */
    public static final int MAX_FDS = 253;

    /** The keys of {@link ChannelConfiguration}, in alphabetical order, with their defaults. */
    static final Map<String, Object> DEFAULTS = defaults();

    // What OSGi, ConfigAdmin, FileInstall, Karaf and Declarative Services add to a configuration (DS: the component's
    // properties, among them the target of the launcher's reference to the sides): never the operator's typos.
    private static final Set<String> BOOKKEEPING = Set.of("service.pid", "service.factoryPid",
            "service.bundleLocation", "felix.fileinstall.filename", "component.name", "component.id", "sides.target");
    private static final List<String> BOOKKEEPING_PREFIXES = List.of("service.", "component.", "felix.fileinstall.",
            "org.apache.karaf.features.", "osgi.ds.", ".");
    private static final int LONGEST_SHOWN_VALUE = 200;

    private final Map<String, ?> properties;

    private ChannelProperties(Map<String, ?> properties) {
        this.properties = properties;
    }

    /** The properties of one channel's configuration (or of its side's component, which carries the same keys). */
    public static ChannelProperties of(Map<String, ?> properties) {
        return new ChannelProperties(properties);
    }

    private static Map<String, Object> defaults() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (Method method : ChannelConfiguration.class.getDeclaredMethods()) {
            defaults.put(method.getName().replace('_', '.'), method.getDefaultValue());
        }
        // getDeclaredMethods has no order: alphabetical, for the list of keys in warnings
        Map<String, Object> sorted = new LinkedHashMap<>();
        defaults.keySet().stream().sorted().forEach(key -> sorted.put(key, defaults.get(key)));
        return Collections.unmodifiableMap(sorted);
    }

    /** The value of a key as text, its default when absent (empty for a key without one). */
    public String string(String key) {
        Object value = raw(key);
        if (value == null) {
            return "";
        }
        if (value.getClass().isArray() || value instanceof Collection) {
            List<String> values = list(value);
            if (values.size() == 1) {
                return values.get(0);
            }
            throw new ConfigurationProblem(key + "=" + show(value) + " is a list (allowed: one value)");
        }
        return value.toString();
    }

    /** One of the allowed values of a key (compared without case or surrounding blanks), lower case. */
    public String choice(String key, String... allowed) {
        String value = string(key).strip().toLowerCase(Locale.ROOT);
        for (String choice : allowed) {
            if (choice.equals(value)) {
                return choice;
            }
        }
        throw new ConfigurationProblem(key + "=" + show(string(key)) + " is not allowed (allowed: "
                + String.join(", ", allowed) + ")");
    }

    /** The values of a list key: a list, an array, or one string whose entries are comma-separated. */
    public List<String> strings(String key) {
        List<String> entries = new ArrayList<>();
        for (String value : list(raw(key))) {
            for (String entry : value.split(",")) {
                if (!entry.isBlank()) {
                    entries.add(entry.strip());
                }
            }
        }
        return entries;
    }

    /** An int key's value, checked against {@code min..max}. */
    public int integer(String key, int min, int max) {
        return (int) number(key, min, max);
    }

    /** A long key's value, checked against {@code min..max}. */
    public long number(String key, long min, long max) {
        Object value = raw(key);
        String allowed = " (allowed: " + min + ".." + max + ")";
        BigInteger number;
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            number = BigInteger.valueOf(((Number) value).longValue());
        } else if (value instanceof BigInteger big) {
            number = big;
        } else if (value instanceof String text) {
            if (text.isBlank()) {
                throw new ConfigurationProblem(key + " is empty" + allowed + "; remove the line for the default "
                        + DEFAULTS.get(key));
            }
            try {
                number = new BigInteger(text.strip());
            } catch (NumberFormatException e) {
                throw new ConfigurationProblem(key + "=" + show(text) + " is not a number" + allowed);
            }
        } else {
            throw new ConfigurationProblem(key + "=" + show(value) + " is not a whole number" + allowed);
        }
        if (number.compareTo(BigInteger.valueOf(min)) < 0 || number.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new ConfigurationProblem(key + "=" + show(value) + " is out of range" + allowed);
        }
        return number.longValue();
    }

    /**
     * An absolute directory, or empty for the default: a relative path would depend on the working directory of
     * whatever process started the framework. What exists there, or at the nearest existing parent, must be a
     * directory. (The socket directory's owner and mode are checked when it is used.)
     */
    public String directory(String key) {
        String value = string(key).strip();
        if (value.isEmpty()) {
            return value;
        }
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            throw new ConfigurationProblem(key + "=" + show(value) + " is not a path (allowed: an absolute path)");
        }
        if (!path.isAbsolute()) {
            throw new ConfigurationProblem(key + "=" + show(value) + " is a relative path (allowed: an absolute "
                    + "path, e.g. /run/mpchannel; empty for the default)");
        }
        for (Path existing = path; existing != null; existing = existing.getParent()) {
            if (Files.exists(existing, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(existing)) {
                if (!Files.isDirectory(existing)) {
                    throw new ConfigurationProblem(key + "=" + show(value) + (existing.equals(path)
                            ? " exists and is not a directory" : ": " + existing + " is not a directory")
                            + " (allowed: a directory, or a path where one can be created)");
                }
                break;
            }
        }
        return value;
    }

    /**
     * The keys that are not a channel's, each as a warning: the known key it most likely misspells, if any. Keys that
     * OSGi, ConfigAdmin, FileInstall, Karaf or Declarative Services add, and keys starting with {@code .}, are
     * not looked at.
     */
    public List<String> unknownKeys() {
        List<String> warnings = new ArrayList<>();
        properties.keySet().stream().sorted().forEach(key -> {
            if (DEFAULTS.containsKey(key) || isBookkeeping(key)) {
                return;
            }
            String suggestion = closest(key);
            warnings.add("unknown key " + show(key) + " is ignored" + (suggestion != null
                    ? "; did you mean " + suggestion + "?"
                    : " (keys: " + String.join(", ", DEFAULTS.keySet()) + ")"));
        });
        return warnings;
    }

    private static boolean isBookkeeping(String key) {
        return BOOKKEEPING.contains(key) || BOOKKEEPING_PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** The known key within two edits of {@code key} (ignoring case and the choice of '.', '_' or '-'), if any. */
    static String closest(String key) {
        String normal = normal(key);
        String best = null;
        int bestDistance = 3;
        for (String known : DEFAULTS.keySet()) {
            int distance = normal.equals(normal(known)) ? 0 : editDistance(normal, normal(known));
            if (distance < bestDistance) {
                best = known;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static String normal(String key) {
        return key.strip().toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
    }

    /** Levenshtein distance, over two rows. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private Object raw(String key) {
        Object value = properties.get(key);
        return value != null ? value : DEFAULTS.get(key);
    }

    private static List<String> list(Object value) {
        List<String> values = new ArrayList<>();
        if (value == null) {
            return values;
        }
        if (value instanceof Collection<?> collection) {
            collection.forEach(each -> values.add(String.valueOf(each)));
        } else if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                values.add(String.valueOf(Array.get(value, i)));
            }
        } else {
            values.add(value.toString());
        }
        return values;
    }

    /**
     * A list of numeric user or group ids.
     *
     * @throws ConfigurationProblem for an entry that is not an id of 0..{@code max}, naming the key
     */
    public Set<Long> ids(String key, long max) {
        Set<Long> ids = new TreeSet<>();
        for (String entry : strings(key)) {
            long id;
            try {
                id = Long.parseLong(entry);
            } catch (NumberFormatException e) {
                throw new ConfigurationProblem(key + "=" + show(entry) + " is not a number (allowed: numeric ids 0.."
                        + max + ")");
            }
            if (id < 0 || id > max) {
                throw new ConfigurationProblem(key + "=" + entry + " is out of range (allowed: numeric ids 0.." + max
                        + ")");
            }
            ids.add(id);
        }
        return ids;
    }

    /** A value for a log line: lists as [a, b], control characters escaped, very long values cut. */
    static String show(Object value) {
        String text = value != null && (value.getClass().isArray() || value instanceof Collection)
                ? list(value).toString() : String.valueOf(value);
        if (text.length() > LONGEST_SHOWN_VALUE) {
            text = text.substring(0, LONGEST_SHOWN_VALUE) + "... (" + text.length() + " characters)";
        }
        return Printable.escape(text);
    }
}
