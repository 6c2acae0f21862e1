self.addEventListener('systemmessage', function () {});
