package io.jemq.auth.sql;

import io.jemq.auth.servers.MariaDbServer;
import io.jemq.auth.servers.SqlServer;

import java.util.Map;

/** emq_auth_mysql against a throw-away MariaDB. */
final class MysqlBackend extends SqlBackendFixture {
    @Override
    String plugin() {
        return "emq_auth_mysql";
    }

    @Override
    String prefix() {
        return "auth.mysql";
    }

    @Override
    SqlServer startServer() {
        return MariaDbServer.start();
    }

    @Override
    String[] schema() {
        return new String[]{"""
                CREATE TABLE `mqtt_user` (
                  `id` int(11) unsigned NOT NULL AUTO_INCREMENT,
                  `username` varchar(100) DEFAULT NULL,
                  `password` varchar(100) DEFAULT NULL,
                  `salt` varchar(20) DEFAULT NULL,
                  `created` datetime DEFAULT NULL,
                  PRIMARY KEY (`id`),
                  UNIQUE KEY `mqtt_username` (`username`)
                )""", """
                CREATE TABLE `mqtt_acl` (
                  `id` int(11) unsigned NOT NULL AUTO_INCREMENT,
                  `allow` int(1) DEFAULT NULL COMMENT '0: deny, 1: allow',
                  `ipaddr` varchar(60) DEFAULT NULL COMMENT 'IpAddress',
                  `username` varchar(100) DEFAULT NULL COMMENT 'Username',
                  `clientid` varchar(100) DEFAULT NULL COMMENT 'ClientId',
                  `access` int(2) NOT NULL COMMENT '1: subscribe, 2: publish, 3: pubsub',
                  `topic` varchar(100) NOT NULL DEFAULT '' COMMENT 'Topic Filter',
                  PRIMARY KEY (`id`)
                )""",
                // EMQ 2.3's mqtt.sql has is_superuser; sha512 hex (128 characters) and bcrypt salts (29) need room
                "ALTER TABLE mqtt_user ADD `is_superuser` tinyint(1) DEFAULT 0",
                "ALTER TABLE mqtt_user MODIFY `password` varchar(255) DEFAULT NULL",
                "ALTER TABLE mqtt_user MODIFY `salt` varchar(35) DEFAULT NULL"};
    }

    @Override
    String superuserTrue() {
        return "1";
    }

    @Override
    String superuserFalse() {
        return "0";
    }

    @Override
    void tls(Map<String, String> conf, String caFile) {
        conf.put("ssl", "on");
        conf.put("ssl.cacertfile", caFile);
        conf.put("ssl.verify", "true");
    }

    @Override
    String tlsOnlyAuthQuery() {
        return "select password from mqtt_user where username = '%u' and (select variable_value from "
                + "information_schema.session_status where variable_name = 'Ssl_cipher') <> '' limit 1";
    }

    @Override
    String slowAuthQuery() {
        return "select password from mqtt_user where username = '%u' and sleep(10) = 0 limit 1";
    }
}
