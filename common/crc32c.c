/* placeholder */ typedef int gs_placeholder_crc32c;
