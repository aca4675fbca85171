package io.jemq.testkit;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.nio.file.Path;

/**
 * Installs {@link NettyLeaks} when a test JVM starts, before any test class loads a buffer class, and writes what is
 * left to report to {@code target/netty-leaks.txt} when it ends. Registered through
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}, so every module that tests with the
 * kit gets it.
 */
public final class LeakWatch implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        NettyLeaks.install();
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        NettyLeaks.flushTo(Path.of("target", "netty-leaks.txt"));
    }
}
