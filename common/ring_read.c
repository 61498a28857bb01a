/* placeholder */ typedef int gs_placeholder_ring_read;
