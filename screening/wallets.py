"""Checksum validation of crypto wallet addresses (Bitcoin, EVM, TRON).

Scam centres take "fees" and "deposits" in crypto, above all USDT on TRON, so a
wallet address in a message is a contact worth keeping. A checksum keeps typos
and random strings out of the report database.

References: Bitcoin base58check (bitcoin.org developer guide, "Base58Check
encoding"); BIP-173 (bech32) and BIP-350 (bech32m) reference code; EIP-55
(mixed-case checksum for Ethereum addresses); TRON addresses are base58check of
0x41 + 20 bytes (developers.tron.network, "Account" / address format).
"""

from __future__ import annotations

import hashlib

from Crypto.Hash import keccak

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {char: index for index, char in enumerate(BASE58_ALPHABET)}

BITCOIN_P2PKH_VERSION = 0x00
BITCOIN_P2SH_VERSION = 0x05
TRON_VERSION = 0x41

_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_INDEX = {char: index for index, char in enumerate(_BECH32_CHARSET)}
_BECH32_CONST = 1
_BECH32M_CONST = 0x2BC830A3


def base58_decode(text: str) -> bytes | None:
    """Decode base58 (Bitcoin alphabet); None if a character is outside it."""
    number = 0
    for char in text:
        digit = _BASE58_INDEX.get(char)
        if digit is None:
            return None
        number = number * 58 + digit
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    leading_zeros = len(text) - len(text.lstrip("1"))
    return b"\x00" * leading_zeros + body


def base58check_payload(text: str) -> bytes | None:
    """The payload (version byte + data) of a base58check string whose checksum holds."""
    raw = base58_decode(text)
    if raw is None or len(raw) < 5:
        return None
    payload, checksum = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        return None
    return payload


def is_valid_bitcoin_base58(address: str) -> bool:
    """A legacy (P2PKH, `1…`) or script (P2SH, `3…`) mainnet address with a valid checksum."""
    payload = base58check_payload(address)
    return (
        payload is not None
        and len(payload) == 21
        and payload[0] in (BITCOIN_P2PKH_VERSION, BITCOIN_P2SH_VERSION)
    )


def is_valid_tron(address: str) -> bool:
    """A TRON address (`T…`, 34 characters) with a valid base58check checksum."""
    payload = base58check_payload(address)
    return payload is not None and len(payload) == 21 and payload[0] == TRON_VERSION


def _bech32_polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for bit in range(5):
            checksum ^= generator[bit] if (top >> bit) & 1 else 0
    return checksum


def _bech32_hrp_expand(hrp: str) -> list[int]:
    return [ord(char) >> 5 for char in hrp] + [0] + [ord(char) & 31 for char in hrp]


def _convert_bits(data: list[int], from_bits: int, to_bits: int) -> list[int] | None:
    """Regroup 5-bit words into bytes without padding (BIP-173 `convertbits`, pad=False)."""
    accumulator = 0
    bits = 0
    result: list[int] = []
    max_value = (1 << to_bits) - 1
    for value in data:
        accumulator = (accumulator << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            result.append((accumulator >> bits) & max_value)
    if bits >= from_bits or ((accumulator << (to_bits - bits)) & max_value):
        return None
    return result


def is_valid_segwit(address: str, *, hrp: str = "bc") -> bool:
    """A native SegWit address: bech32 for witness v0, bech32m for v1+ (BIP-173, BIP-350)."""
    if len(address) > 90 or (address.lower() != address and address.upper() != address):
        return False
    address = address.lower()
    separator = address.rfind("1")
    if address[:separator] != hrp or separator + 7 > len(address):
        return False
    data: list[int] = []
    for char in address[separator + 1:]:
        index = _BECH32_INDEX.get(char)
        if index is None:
            return False
        data.append(index)
    polymod = _bech32_polymod(_bech32_hrp_expand(hrp) + data)
    if polymod not in (_BECH32_CONST, _BECH32M_CONST):
        return False
    witness_version = data[0]
    if witness_version > 16:
        return False
    expected_const = _BECH32_CONST if witness_version == 0 else _BECH32M_CONST
    if polymod != expected_const:
        return False
    program = _convert_bits(data[1:-6], 5, 8)
    if program is None or not 2 <= len(program) <= 40:
        return False
    return witness_version != 0 or len(program) in (20, 32)


def eip55_checksum(address: str) -> str:
    """The EIP-55 mixed-case spelling of a `0x` + 40 hex address."""
    hex_part = address[2:].lower()
    digest = keccak.new(digest_bits=256, data=hex_part.encode("ascii")).hexdigest()
    return "0x" + "".join(
        char.upper() if char.isalpha() and int(digest[index], 16) >= 8 else char
        for index, char in enumerate(hex_part)
    )


def is_valid_evm(address: str) -> bool:
    """`0x` + 40 hex digits; a mixed-case spelling must match its EIP-55 checksum."""
    if len(address) != 42 or address[:2] not in ("0x", "0X"):
        return False
    hex_part = address[2:]
    try:
        int(hex_part, 16)
    except ValueError:
        return False
    if hex_part.lower() == hex_part or hex_part.upper() == hex_part:
        return True  # single-case spellings carry no checksum (EIP-55, "Implementation")
    return eip55_checksum(address) == "0x" + hex_part
