/**
 * The disk store: the broker's store interfaces ({@code io.jemq.store}) on RocksDB, for durable sessions and retained
 * messages that survive restarts and kill -9.
 */
package io.jemq.store.rocksdb;
