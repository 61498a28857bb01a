/* SPDX-License-Identifier: Apache-2.0 */
/* Linked with a musl dynamic loader path: on a glibc system it cannot run. */
int main(void)
{
	return 0;
}
