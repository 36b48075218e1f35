"""Scrapy project of llo-supply: spiders, item pipelines and crawl middlewares."""
