// Unit tests must not wait for real backoff delays.
const config = require('../../config/index')

config.baseURL = 'https://api.test'
config.retryDelaysMs = [1, 1]
