/* placeholder */ typedef int gs_placeholder_tlv;
