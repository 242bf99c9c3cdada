"""Wallet checksums against published test vectors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening import wallets

# The genesis block's coinbase address; P2SH example from the Bitcoin wiki ("Pay to script hash").
VALID_BASE58 = ["1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"]

# BIP-350 "Test vectors for v0-v16 native segregated witness addresses", mainnet ones.
VALID_SEGWIT = [
    "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
    "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
    "BC1SW50QGDZ25J",
    "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
    "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
]
# BIP-350 invalid addresses (with the reason given there).
INVALID_SEGWIT = [
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",  # bech32 instead of bech32m
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",  # bech32m instead of bech32
    "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",  # witness version 17
    "bc1pw5dgrnzv",  # program too short
    "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",  # v0 program of 16 bytes
    "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",  # bech32 checksum on a v2 program
    "bc1gmk9yu",  # empty data section
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",  # testnet, not "bc"
    "bc1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",  # mixed case
]
# EIP-55 "Test Cases" (all caps, all lower, normal).
EIP55_ADDRESSES = [
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77",
    "0x27b1fdb04752bbc536007a920d24acb045561c26",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
]
# USDT's TRC-20 contract address, published by Tether and Tronscan.
VALID_TRON = ["TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"]


@pytest.mark.parametrize("address", VALID_BASE58)
def test_valid_base58_addresses(address: str) -> None:
    assert wallets.is_valid_bitcoin_base58(address)


@pytest.mark.parametrize("address", VALID_BASE58)
def test_one_changed_character_breaks_the_base58_checksum(address: str) -> None:
    replacement = "2" if address[-1] != "2" else "3"
    assert not wallets.is_valid_bitcoin_base58(address[:-1] + replacement)


def test_tron_address_is_not_a_bitcoin_address_and_vice_versa() -> None:
    assert not wallets.is_valid_bitcoin_base58(VALID_TRON[0])
    assert not wallets.is_valid_tron(VALID_BASE58[0])


@pytest.mark.parametrize("address", VALID_SEGWIT)
def test_valid_segwit(address: str) -> None:
    assert wallets.is_valid_segwit(address)


@pytest.mark.parametrize("address", INVALID_SEGWIT)
def test_invalid_segwit(address: str) -> None:
    assert not wallets.is_valid_segwit(address)


@pytest.mark.parametrize("address", EIP55_ADDRESSES)
def test_eip55_vectors(address: str) -> None:
    assert wallets.is_valid_evm(address)
    if address[2:] not in (address[2:].lower(), address[2:].upper()):
        assert wallets.eip55_checksum(address.lower()) == address


def test_eip55_rejects_a_wrong_case() -> None:
    address = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    assert not wallets.is_valid_evm(address[:-1] + "D")
    assert not wallets.is_valid_evm("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe")  # 39 digits
    assert not wallets.is_valid_evm("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg")


@pytest.mark.parametrize("address", VALID_TRON)
def test_valid_tron(address: str) -> None:
    assert wallets.is_valid_tron(address)
    assert not wallets.is_valid_tron(address[:-1] + "u")


def test_base58_decode_keeps_leading_zero_bytes() -> None:
    assert wallets.base58_decode("11") == b"\x00\x00"
    assert wallets.base58_decode("0OIl") is None


@given(st.text(max_size=100))
def test_validators_never_crash(text: str) -> None:
    wallets.is_valid_bitcoin_base58(text)
    wallets.is_valid_segwit(text)
    wallets.is_valid_evm(text)
    wallets.is_valid_tron(text)


@given(st.binary(min_size=20, max_size=20))
def test_eip55_round_trip(raw: bytes) -> None:
    checksummed = wallets.eip55_checksum("0x" + raw.hex())
    assert wallets.is_valid_evm(checksummed)
    assert checksummed.lower() == "0x" + raw.hex()
