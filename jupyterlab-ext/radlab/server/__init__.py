"""The Jupyter server extension: handlers, the credential-injecting proxy and its path policy.
Imports jupyter_server and tornado; the kernel side (radlab.kernel) never imports this."""
