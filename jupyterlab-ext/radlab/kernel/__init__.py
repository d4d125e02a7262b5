"""Kernel-side code: the `%%drill` magics and the synchronous Drill client they use. No
jupyter_server or tornado imports (a kernel need not have them)."""
