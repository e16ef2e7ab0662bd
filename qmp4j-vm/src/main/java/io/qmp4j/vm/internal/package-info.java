/**
 * Internal to qmp4j-vm: may change without notice. Not exported by the module.
 */
package io.qmp4j.vm.internal;
