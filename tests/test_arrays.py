"""analytics.arrays.unique gives np.unique's answer (values, order, dtype)."""

import numpy as np
import pytest

from analytics.arrays import unique


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint16, np.float64])
def test_unique_equals_numpy(dtype):
    x = np.random.default_rng(3).integers(0, 500, 5000).astype(dtype)
    got = unique(x)
    assert got.dtype == np.unique(x).dtype and np.array_equal(got, np.unique(x))


def test_unique_of_empty_and_one():
    assert unique(np.zeros(0, np.int64)).tolist() == []
    assert unique(np.array([7, 7, 7])).tolist() == [7]
