package io.jemq.access;

import io.jemq.api.Authorizer;
import io.jemq.api.Access;
import io.jemq.api.AclResult;
import io.jemq.api.ClientInfo;
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
            log.info("loaded {} ACL rule(s) from {}", parsed.size(), file);
            return parsed.size();
        } catch (AclSyntaxException e) {
            throw new ConfigException(file + ":" + e.getMessage());
        }
    }
}
