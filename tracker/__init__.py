"""Peer-support referral tracker."""
