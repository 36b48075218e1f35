"""Test-wide setup: the same Twisted reactor a crawl uses, installed before anything imports one."""

from scrapy.utils.reactor import install_reactor, is_reactor_installed

if not is_reactor_installed():
    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
