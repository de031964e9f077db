package dev.mpchannel.itests.karaf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.Subject;
import org.apache.felix.service.command.Converter;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** Karaf's console, from inside Karaf: commands as the operator types them. */
final class KarafConsole {
    private KarafConsole() {
    }

    /**
     * Runs commands in one Karaf console session, as an operator would type them, and returns what they printed, each
     * result formatted as the console does (through the shell's converters: scr's commands return DTOs). The session
     * has the roles of Karaf's default user {@code karaf} (the command ACLs in etc/ hide config:edit and the like from
     * a session without them). A command not found is tried again until {@code timeout}: the shell registers a
     * bundle's commands some time after a feature has installed it.
     */
    static String execute(BundleContext context, Duration timeout, String... commands) throws Exception {
        Subject karaf = new Subject();
        karaf.getPrincipals().add(new UserPrincipal("karaf"));
        for (String role : List.of("admin", "manager", "viewer", "systembundles", "ssh")) {
            karaf.getPrincipals().add(new RolePrincipal(role));
        }
        return Subject.doAs(karaf, (PrivilegedExceptionAction<String>) () -> executeAsSubject(context, timeout, commands));
    }

    private static String executeAsSubject(BundleContext context, Duration timeout, String... commands) throws Exception {
        SessionFactory sessions = context.getService(context.getServiceReference(SessionFactory.class));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Session session = sessions.create(new ByteArrayInputStream(new byte[0]), print, print);
        try {
            for (String command : commands) {
                long deadline = System.nanoTime() + timeout.toNanos();
                while (true) {
                    try {
                        Object result = session.execute(command);
                        if (result != null) {
                            print.println(format(context, result));
                        }
                    } catch (Exception e) {
                        if (e.getClass().getSimpleName().equals("CommandNotFoundException")
                                && System.nanoTime() < deadline) {
                            Thread.sleep(100);
                            continue;
                        }
                        print.println(e.getMessage());
                    }
                    break;
                }
            }
        } finally {
            session.close();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A command's result as the console prints it: the first converter that can format it, else toString. */
    private static CharSequence format(BundleContext context, Object result) throws Exception {
        if (result instanceof CharSequence) {
            return (CharSequence) result;
        }
        List<Converter> converters = new ArrayList<>();
        for (ServiceReference<Converter> reference : context.getServiceReferences(Converter.class, null)) {
            converters.add(context.getService(reference));
        }
        Converter escape = new Converter() {
            @Override
            public Object convert(Class<?> type, Object object) {
                return null;
            }

            @Override
            public CharSequence format(Object target, int level, Converter self) throws Exception {
                for (Converter converter : converters) {
                    CharSequence formatted = converter.format(target, level, this);
                    if (formatted != null) {
                        return formatted;
                    }
                }
                return String.valueOf(target);
            }
        };
        return escape.format(result, Converter.INSPECT, escape);
    }
}
