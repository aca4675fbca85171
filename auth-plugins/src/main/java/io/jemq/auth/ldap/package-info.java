/**
 * {@code emq_auth_ldap}: authentication against an LDAP directory, EMQ 2.x's two designs (bind as the user, or search
 * as a service account and compare the password attribute), with failover across servers and TLS. No ACL and no
 * superuser: EMQ 2.x's LDAP plugin had neither. Blocking LDAP calls run on the plugin's executor only.
 */
package io.jemq.auth.ldap;
