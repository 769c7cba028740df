"""tui-ftp: a terminal dual-pane FTP/FTPS client with a secure-FTP engine."""

__version__ = "0.1.0"
