package dev.onshelf.gateway.mqtt;

import java.text.MessageFormat;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paho's log, through SLF4J (as everything else OnShelf logs) instead of java.util.logging.
 *
 * <p>Paho makes a logger for every token, that is for every message it sends or acknowledges, and its
 * default one looks up a java.util.logging logger each time: {@code MqttToken.<init>} was 5.5% of
 * OnShelf's ingest samples in the bench's profile. This one looks up an SLF4J logger (a map lookup).
 * Paho's severe, warning and info messages go out at ERROR, WARN and INFO under Paho's class names;
 * its config and tracing messages are dropped: one of them (catalog key 103) carries the connection's
 * password, and nothing of Paho's internals is needed in OnShelf's log.
 * {@link #install()} before the first client.
 */
public final class PahoLogging implements org.eclipse.paho.mqttv5.client.logging.Logger {
    private Logger log = LoggerFactory.getLogger("org.eclipse.paho.mqttv5.client");
    private ResourceBundle catalog;

    /** Makes Paho log through this class (for every client made from now on). */
    public static void install() {
        org.eclipse.paho.mqttv5.client.logging.LoggerFactory.setLogger(PahoLogging.class.getName());
    }

    @Override
    public void initialise(ResourceBundle messageCatalog, String loggerId, String resourceName) {
        this.catalog = messageCatalog;
        this.log = LoggerFactory.getLogger(loggerId);
    }

    @Override
    public void setResourceName(String logContext) {
        // the context (a client id) is in Paho's messages already
    }

    @Override
    public boolean isLoggable(int level) {
        return switch (level) {
            case SEVERE -> log.isErrorEnabled();
            case WARNING -> log.isWarnEnabled();
            case INFO -> log.isInfoEnabled();
            default -> false;  // config and tracing: dropped (see the class comment)
        };
    }

    @Override
    public void log(int level, String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        if (!isLoggable(level)) {
            return;
        }
        String text = sourceMethod + ": " + formatMessage(msg, inserts);
        switch (level) {
            case SEVERE -> log.error(text, thrown);
            case WARNING -> log.warn(text, thrown);
            default -> log.info(text, thrown);
        }
    }

    @Override
    public void trace(int level, String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        log(FINEST, sourceClass, sourceMethod, msg, inserts, ex);
    }

    /** Paho's messages are keys of its catalog (e.g. "204"), with {0}-style inserts. */
    @Override
    public String formatMessage(String msg, Object[] inserts) {
        String text = msg;
        if (catalog != null && msg != null) {
            try {
                text = catalog.getString(msg);
            } catch (MissingResourceException e) {
                text = msg;
            }
        }
        return inserts == null || inserts.length == 0 || text == null ? text : MessageFormat.format(text, inserts);
    }

    @Override
    public void dumpTrace() {
        // no trace buffer kept
    }

    @Override
    public void severe(String c, String m, String msg) {
        log(SEVERE, c, m, msg, null, null);
    }

    @Override
    public void severe(String c, String m, String msg, Object[] inserts) {
        log(SEVERE, c, m, msg, inserts, null);
    }

    @Override
    public void severe(String c, String m, String msg, Object[] inserts, Throwable thrown) {
        log(SEVERE, c, m, msg, inserts, thrown);
    }

    @Override
    public void warning(String c, String m, String msg) {
        log(WARNING, c, m, msg, null, null);
    }

    @Override
    public void warning(String c, String m, String msg, Object[] inserts) {
        log(WARNING, c, m, msg, inserts, null);
    }

    @Override
    public void warning(String c, String m, String msg, Object[] inserts, Throwable thrown) {
        log(WARNING, c, m, msg, inserts, thrown);
    }

    @Override
    public void info(String c, String m, String msg) {
        log(INFO, c, m, msg, null, null);
    }

    @Override
    public void info(String c, String m, String msg, Object[] inserts) {
        log(INFO, c, m, msg, inserts, null);
    }

    @Override
    public void info(String c, String m, String msg, Object[] inserts, Throwable thrown) {
        log(INFO, c, m, msg, inserts, thrown);
    }

    @Override
    public void config(String c, String m, String msg) {
        log(CONFIG, c, m, msg, null, null);
    }

    @Override
    public void config(String c, String m, String msg, Object[] inserts) {
        log(CONFIG, c, m, msg, inserts, null);
    }

    @Override
    public void config(String c, String m, String msg, Object[] inserts, Throwable thrown) {
        log(CONFIG, c, m, msg, inserts, thrown);
    }

    @Override
    public void fine(String c, String m, String msg) {
        log(FINE, c, m, msg, null, null);
    }

    @Override
    public void fine(String c, String m, String msg, Object[] inserts) {
        log(FINE, c, m, msg, inserts, null);
    }

    @Override
    public void fine(String c, String m, String msg, Object[] inserts, Throwable thrown) {
        log(FINE, c, m, msg, inserts, thrown);
    }

    @Override
    public void finer(String c, String m, String msg) {
        log(FINER, c, m, msg, null, null);
    }

    @Override
    public void finer(String c, String m, String msg, Object[] inserts) {
        log(FINER, c, m, msg, inserts, null);
    }

    @Override
    public void finer(String c, String m, String msg, Object[] inserts, Throwable thrown) {
        log(FINER, c, m, msg, inserts, thrown);
    }

    @Override
    public void finest(String c, String m, String msg) {
        log(FINEST, c, m, msg, null, null);
    }

    @Override
    public void finest(String c, String m, String msg, Object[] inserts) {
        log(FINEST, c, m, msg, inserts, null);
    }

    @Override
    public void finest(String c, String m, String msg, Object[] inserts, Throwable thrown) {
        log(FINEST, c, m, msg, inserts, thrown);
    }
}
