int gs_placeholder_pre(void); int gs_placeholder_pre(void){return 0;}
