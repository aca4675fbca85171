package io.jemq.access;

import io.jemq.api.Authorizer;
import io.jemq.api.Access;
import io.jemq.api.AclResult;
import io.jemq.api.ClientInfo;
import io.jemq.access.acl.AclRule;
import io.jemq.access.acl.AclRules;
import io.jemq.access.acl.AclSyntaxException;
import io.jemq.api.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The internal ACL: the rules of {@code etc/acl.conf}, asked after every plugin's ACL. Answers at once (a completed
 * stage), so checks it decides stay on the fast path. {@link #reload} swaps the rules whole, or keeps the old ones
 * when the file is broken. Thread-safe.
 */
public final class AclFile implements Authorizer {
    private static final Logger log = LoggerFactory.getLogger(AclFile.class);

    private final Path file;
    private final boolean required;
    private volatile AclRules rules = AclRules.EMPTY;
    /** The text the rules were read from, a line each, for explanations; swapped right after the rules. */
    private volatile List<String> lines = List.of();

    /** @param required when false a missing file means no rules; when true it is an error */
    public AclFile(Path file, boolean required) {
        this.file = file;
        this.required = required;
    }

    /** An internal ACL with the given rules and no file (tests, embedding). */
    public static AclFile of(AclRules rules) {
        AclFile f = new AclFile(null, false);
        f.rules = rules;
        return f;
    }

    @Override
    public String name() {
        return "acl.conf";
    }

    @Override
    public CompletionStage<AclResult> check(ClientInfo client, Access access, String topic) {
        return rules.check(client, access, topic).stage();
    }

    /**
     * Which rule decides the check, as {@code etc/acl.conf:12: {deny, all, subscribe, ["#"]}.}: its line number and
     * text (up to the line that ends it); empty when no rule matches. Reads nothing but the rules in force.
     */
    public Optional<String> decidingRule(ClientInfo client, Access access, String topic) {
        AclRule r = rules.deciding(client, access, topic);
        if (r == null) {
            return Optional.empty();
        }
        List<String> text = lines;
        StringBuilder b = new StringBuilder();
        for (int i = r.line() - 1; i >= 0 && i < text.size(); i++) {
            b.append(b.length() == 0 ? "" : " ").append(text.get(i).strip());
            if (text.get(i).strip().endsWith(".")) {
                break;
            }
        }
        return Optional.of((file == null ? "acl.conf" : file.toString()) + ":" + r.line() + ": " + b);
    }

    /** The file's text as it was last read (the dashboard shows it). */
    public String text() {
        return String.join("\n", lines);
    }

    public Path file() {
        return file;
    }

    public int ruleCount() {
        return rules.size();
    }

    /**
     * Reads the file again and swaps the rules in.
     *
     * @return how many rules are now in force
     * @throws ConfigException naming file, line and column; the old rules stay in force
     */
    public int reload() {
        if (file == null) {
            return rules.size();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (!required) {
                log.info("no {}: no internal ACL rules (mqtt.acl_nomatch decides)", file);
                rules = AclRules.EMPTY;
                lines = List.of();
                return 0;
            }
            throw new ConfigException(file + ": no such file (mqtt.acl_file)");
        } catch (MalformedInputException e) {
            throw new ConfigException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e);
        }
        try {
            AclRules parsed = AclRules.parse(text);
            rules = parsed;
            lines = List.of(text.split("\\R", -1));
            log.info("loaded {} ACL rule(s) from {}", parsed.size(), file);
            return parsed.size();
        } catch (AclSyntaxException e) {
            throw new ConfigException(file + ":" + e.getMessage());
        }
    }
}
