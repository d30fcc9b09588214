"""Writes of the fund app. Import from the topic modules: `fund.services.ledger`, …"""
