// SPDX-License-Identifier: Apache-2.0
/* Linked with a PT_INTERP that does not exist: executing it fails with
 * ENOENT although the file itself is there. */
int main(void)
{
	return 0;
}
